import { describe, expect, it } from 'vitest';
import {
  IMPORT_POLL_MS,
  importPercent,
  importPollInterval,
  importProgressStatus,
} from './importJob';

describe('background imports', () => {
  it('polls while queued or running, and before the first answer, then stops', () => {
    expect(importPollInterval(undefined)).toBe(IMPORT_POLL_MS);
    expect(importPollInterval({ status: 'queued' })).toBe(IMPORT_POLL_MS);
    expect(importPollInterval({ status: 'running', progress: 0.5 })).toBe(IMPORT_POLL_MS);
    expect(importPollInterval({ status: 'done', progress: 1 })).toBe(false);
    expect(importPollInterval({ status: 'failed', progress: 0.2 })).toBe(false);
  });

  it('shows whole percents, 100 once done, 0 while unknown', () => {
    expect(importPercent({ status: 'running', progress: 0.4567 })).toBe(45);
    expect(importPercent({ status: 'running', progress: null })).toBe(0);
    expect(importPercent({ status: 'done', progress: 0.5 })).toBe(100);
    expect(importProgressStatus('failed')).toBe('exception');
    expect(importProgressStatus('queued')).toBe('active');
  });
});
