import { describe, expect, it } from 'vitest';
import {
  IMPORT_POLL_MS,
  importDisplayState,
  importPercent,
  importPollInterval,
  importProgressStatus,
  isImportActive,
  isImportFinished,
} from './state';

describe('one display state for both import vocabularies', () => {
  it("maps orders' pending and the jobs' queued to waiting, and the shared words to themselves", () => {
    expect(importDisplayState('pending')).toBe('waiting');
    expect(importDisplayState('queued')).toBe('waiting');
    expect(importDisplayState('running')).toBe('running');
    expect(importDisplayState('done')).toBe('done');
    expect(importDisplayState('failed')).toBe('failed');
    expect(importDisplayState('paid')).toBe('unknown');
    expect(importDisplayState(undefined)).toBe('unknown');
  });

  it('is active while waiting or running in either vocabulary, finished once done or failed', () => {
    expect(['pending', 'queued', 'running', 'done', 'failed', 'x'].map(isImportActive)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(['pending', 'queued', 'running', 'done', 'failed', 'x'].map(isImportFinished)).toEqual([
      false,
      false,
      false,
      true,
      true,
      false,
    ]);
  });

  it('polls an order batch and a background job alike', () => {
    expect(importPollInterval({ status: 'pending' })).toBe(IMPORT_POLL_MS);
    expect(importPollInterval({ status: 'queued' })).toBe(IMPORT_POLL_MS);
    expect(importPollInterval({ status: 'done' })).toBe(false);
    expect(importProgressStatus('pending')).toBe('active');
    expect(importProgressStatus('done')).toBe('success');
    expect(importProgressStatus('failed')).toBe('exception');
    expect(importProgressStatus('x')).toBe('normal');
    expect(importPercent({ status: 'running', progress: 1.2 })).toBe(100);
    expect(importPercent({ status: 'pending', progress: -0.1 })).toBe(0);
  });
});
