/** Dates are shown in China Standard Time whatever the browser's zone. */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/zh-cn';

dayjs.extend(utc);
dayjs.extend(timezone);

export const TIME_ZONE = 'Asia/Shanghai';
dayjs.tz.setDefault(TIME_ZONE);

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

export function setDayjsLocale(language: 'zh' | 'en'): void {
  dayjs.locale(language === 'zh' ? 'zh-cn' : 'en');
}

export { dayjs };
