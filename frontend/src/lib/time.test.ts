import { describe, expect, it } from 'vitest';
import {
  dayParam,
  dayjs,
  formatDate,
  formatDateTime,
  formatTime,
  fromPicker,
  nowPicker,
  toPicker,
} from './time';

describe('time in Asia/Shanghai', () => {
  it('shows UTC instants in China Standard Time', () => {
    expect(formatDateTime('2024-05-01T02:30:00Z')).toBe('2024-05-01 10:30');
    expect(formatDateTime('2024-12-31T16:00:00+00:00')).toBe('2025-01-01 00:00');
    expect(formatDate('2024-12-31T16:00:00Z')).toBe('2025-01-01');
    expect(formatTime('2026-12-20T14:00:00Z')).toBe('22:00');
  });

  it('passes through empty and unparseable values', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('not a date')).toBe('not a date');
  });

  it('reads what the person picked as Shanghai time, whatever the browser zone', () => {
    // What antd hands back when 2026-12-20 20:00 is chosen: a browser-local dayjs.
    const picked = dayjs('2026-12-20T20:00');
    expect(fromPicker(picked)).toBe('2026-12-20T12:00:00.000Z');
  });

  it('shows an instant in the picker as its Shanghai wall clock and round-trips it', () => {
    const shown = toPicker('2026-12-20T12:00:00Z');
    expect(shown.format('YYYY-MM-DD HH:mm')).toBe('2026-12-20 20:00');
    expect(fromPicker(shown)).toBe('2026-12-20T12:00:00.000Z');
    expect(nowPicker(new Date('2026-12-06T17:30:00Z')).format('YYYY-MM-DD HH:mm')).toBe(
      '2026-12-07 01:30',
    );
  });

  it('runs under the zone the suite was started with', () => {
    // The suite runs twice (UTC and America/Los_Angeles): see vite.config.ts.
    expect(['UTC', 'America/Los_Angeles']).toContain(process.env.TZ);
    const offset = new Date('2026-12-20T12:00:00Z').getTimezoneOffset();
    expect(offset).toBe(process.env.TZ === 'UTC' ? 0 : 480);
  });
});

describe('dayParam', () => {
  it('takes a YYYY-MM-DD day from the URL as it is and nothing else', () => {
    expect(dayParam('2026-04-15')).toBe('2026-04-15');
    for (const junk of [null, '', 'next-week', '2026-4-15', '2026-04-15T00:00']) {
      expect(dayParam(junk)).toBeUndefined();
    }
  });
});
