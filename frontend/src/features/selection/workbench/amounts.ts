/**
 * Rates and amounts as typed: percents ↔ basis points, yuan text ↔ fen. Money typed by a user stays
 * a decimal string and becomes fen through bigint (`@/lib/money`); no float touches it.
 */
import { fromMinorUnits, toMinorUnits, type Money } from '@/lib/money';

export const CURRENCY = 'CNY';
const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?$/;
const MONEY_INPUT = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;
/** The backend's ceiling for any rate (selection.models.MAX_RATE_BPS). */
export const MAX_RATE_BPS = 8000;
/** "32" → 3200, "32.5" → 3250, "0.05" → 5; null when not a percent with at most two decimals. */
export function percentToBps(text: string | number | null | undefined): number | null {
  if (text == null) return null;
  const match = PERCENT.exec(String(text).trim().replace(/%$/, ''));
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** 3250 → "32.5", 3200 → "32", 5 → "0.05" (what a rate input shows). */
export function bpsToPercentText(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const cents = String(bps % 100).padStart(2, '0');
  return cents === '00' ? String(whole) : `${whole}.${cents.replace(/0$/, '')}`;
}

/** "168" → 16800, "1,234.5" → 123450, "¥9.9" → 990; null when not an amount in yuan and fen. */
export function yuanToMinor(text: string | number | null | undefined): number | null {
  if (text == null) return null;
  const cleaned = String(text)
    .trim()
    .replace(/^[¥￥]\s*/, '');
  const match = MONEY_INPUT.exec(cleaned);
  if (!match) return null;
  const whole = match[1].replace(/,/g, '');
  const amount = match[2] !== undefined ? `${whole}.${match[2]}` : whole;
  return Number(toMinorUnits(amount, CURRENCY));
}

/** 16800 → "168.00" (a yuan input's initial text). */
export function minorToYuanText(minor: number): string {
  return fromMinorUnits(BigInt(minor), CURRENCY);
}

export function minorToMoney(minor: number, currency = CURRENCY): Money {
  return { amount: fromMinorUnits(BigInt(minor), currency), currency };
}
