/**
 * Every date-time a person types or reads is China Standard Time (Asia/Shanghai), whatever the
 * browser's zone. This module is the one place that converts between instants and what is shown.
 *
 * antd's pickers work on plain (browser-local) dayjs values, so a picker value is a *wall clock*:
 * `toPicker` turns an instant into a local dayjs that reads the Shanghai wall clock, and
 * `fromPicker` reads the wall clock the person chose as Shanghai time and returns the instant.
 * Never call `toISOString()` on a picker value: that reads the wall clock in the browser's zone.
 */
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/zh-cn';

dayjs.extend(utc);
dayjs.extend(timezone);

export const TIME_ZONE = 'Asia/Shanghai';
dayjs.tz.setDefault(TIME_ZONE);

/** Shown beside every date-time entry field. */
export function zoneLabel(language: string): string {
  return language.startsWith('zh') ? '北京时间 (UTC+8)' : 'China Standard Time (UTC+8)';
}

const WALL_CLOCK = 'YYYY-MM-DDTHH:mm:ss.SSS';

/** "2024-05-01T02:30:00Z" → "2024-05-01 10:30". */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const parsed = dayjs(iso);
  return parsed.isValid() ? parsed.tz(TIME_ZONE).format('YYYY-MM-DD HH:mm') : iso;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const parsed = dayjs(iso);
  return parsed.isValid() ? parsed.tz(TIME_ZONE).format('YYYY-MM-DD') : iso;
}

/** "2024-05-01T12:30:00Z" → "20:30" (Shanghai). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const parsed = dayjs(iso);
  return parsed.isValid() ? parsed.tz(TIME_ZONE).format('HH:mm') : iso;
}

/** An instant → the picker value showing its Shanghai wall clock. */
export function toPicker(instant: string | Date | Dayjs): Dayjs {
  return dayjs(dayjs(instant).tz(TIME_ZONE).format(WALL_CLOCK));
}

/** A picker value (a wall clock) read as Shanghai time → the ISO instant to send ("…Z"). */
export function fromPicker(value: Dayjs): string {
  return dayjs.tz(value.format(WALL_CLOCK), TIME_ZONE).toISOString();
}

/** Now, as a picker value (the Shanghai wall clock): defaults and disabledDate comparisons. */
export function nowPicker(now: Date = new Date()): Dayjs {
  return toPicker(now);
}

/** A date-only picker value → "YYYY-MM-DD" as chosen (a calendar date has no zone). */
export function pickerDate(value: Dayjs): string {
  return value.format('YYYY-MM-DD');
}

export function setDayjsLocale(language: 'zh' | 'en'): void {
  dayjs.locale(language === 'zh' ? 'zh-cn' : 'en');
}

/** A calendar day (`YYYY-MM-DD`) read from the URL, or undefined when it is not one. */
export function dayParam(value: string | null): string | undefined {
  return value && /^\d{4}-\d{2}-\d{2}$/.test(value) && dayjs(value).isValid() ? value : undefined;
}

export { dayjs };
