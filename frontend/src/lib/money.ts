/**
 * Money arrives from the API as `{amount: "1234.5", currency: "CNY"}` — a decimal string.
 * It is never turned into a float: digits are handled as strings and arithmetic uses bigint
 * minor units (fen for CNY). Rounding, when an amount has more decimals than the currency's
 * minor unit, is half-up (away from zero), as on the backend.
 */

export interface Money {
  amount: string;
  currency: string;
}

const MINOR_DIGITS: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, BHD: 3, KWD: 3 };
const SYMBOLS: Record<string, string> = {
  CNY: '¥',
  USD: '$',
  EUR: '€',
  GBP: '£',
  HKD: 'HK$',
  JPY: 'JP¥',
};
const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency.toUpperCase()] ?? 2;
}

/** "1234.5" CNY → 123450n; half-up beyond the minor unit ("0.005" → 1n, "-0.005" → -1n). */
export function toMinorUnits(amount: string, currency: string): bigint {
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new Error(`Not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ''] = match;
  const digits = minorDigits(currency);
  const kept = fraction.slice(0, digits).padEnd(digits, '0');
  const dropped = fraction.slice(digits);
  let minor = BigInt(whole + kept);
  if (dropped.length > 0 && dropped[0] >= '5') minor += 1n;
  return sign === '-' ? -minor : minor;
}

/** 123450n CNY → "1234.50". */
export function fromMinorUnits(minor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const negative = minor < 0n;
  const abs = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
  const whole = abs.slice(0, abs.length - digits);
  const fraction = abs.slice(abs.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

function groupThousands(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** {amount:"1234.5", currency:"CNY"} → "¥1,234.50"; negatives → "-¥1,234.50". */
export function formatMoney(money: Money): string {
  const currency = money.currency.toUpperCase();
  const normalized = fromMinorUnits(toMinorUnits(money.amount, currency), currency);
  const negative = normalized.startsWith('-');
  const [whole, fraction] = (negative ? normalized.slice(1) : normalized).split('.');
  const number = groupThousands(whole) + (fraction !== undefined ? `.${fraction}` : '');
  const symbol = SYMBOLS[currency];
  const body = symbol ? `${symbol}${number}` : `${currency} ${number}`;
  return negative ? `-${body}` : body;
}

/** Exact sum of amounts in one currency. */
export function sumMoney(items: Money[], currency = 'CNY'): Money {
  let total = 0n;
  for (const item of items) {
    if (item.currency.toUpperCase() !== currency.toUpperCase()) {
      throw new Error(`Cannot add ${item.currency} to ${currency}`);
    }
    total += toMinorUnits(item.amount, currency);
  }
  return { amount: fromMinorUnits(total, currency), currency };
}

export function isMoney(value: unknown): value is Money {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Money).amount === 'string' &&
    typeof (value as Money).currency === 'string'
  );
}

/** Basis points → "32.00%" (1 bp = 0.01%), without floats. */
export function formatBps(bps: number): string {
  const negative = bps < 0;
  const abs = Math.abs(Math.trunc(bps)).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}%`;
}
