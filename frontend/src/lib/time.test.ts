import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from './time';

describe('time in Asia/Shanghai', () => {
  it('shows UTC instants in China Standard Time', () => {
    expect(formatDateTime('2024-05-01T02:30:00Z')).toBe('2024-05-01 10:30');
    expect(formatDateTime('2024-12-31T16:00:00+00:00')).toBe('2025-01-01 00:00');
    expect(formatDate('2024-12-31T16:00:00Z')).toBe('2025-01-01');
  });

  it('passes through empty and unparseable values', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('not a date');
  });
});
