import type { Lot } from './models';

/** Today in Asia/Shanghai as YYYY-MM-DD, whatever the browser's zone (lot expiry dates are Shanghai dates). */
function shanghaiToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

/** A lot past its expiry date: its units must not be sold or shipped, so every screen that lists it says so. */
export function isExpired(lot: Lot | null | undefined, now: Date = new Date()): boolean {
  return Boolean(lot?.expiry_date && lot.expiry_date < shanghaiToday(now));
}
