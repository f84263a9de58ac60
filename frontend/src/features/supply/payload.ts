/**
 * Form values → API request bodies, and the backend's error bodies → messages per field.
 * Money typed by a user stays a decimal string: it is checked and normalised here, never parsed
 * into a float.
 */
import { ApiError } from '@/api/client';
import type { components } from '@/api/schema';
import { fromMinorUnits, toMinorUnits, type Money } from '@/lib/money';

type Schemas = components['schemas'];
export type PurchaseOrderCreate = Schemas['PurchaseOrderCreateRequest'];
export type ReceiptCreate = Schemas['ReceiptCreateRequest'];

const CURRENCY = 'CNY';
const MONEY_INPUT = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/** "168" → "168.00", "1,234.5" → "1234.50", "¥9.9" → "9.90"; null when not an amount in fen. */
export function parseMoneyInput(text: string | null | undefined): string | null {
  if (text == null) return null;
  const cleaned = text.trim().replace(/^[¥￥]\s*/, '');
  const match = MONEY_INPUT.exec(cleaned);
  if (!match) return null;
  const whole = match[1].replace(/,/g, '');
  const amount = match[2] !== undefined ? `${whole}.${match[2]}` : whole;
  return fromMinorUnits(toMinorUnits(amount, CURRENCY), CURRENCY);
}

export function moneyRequest(text: string): Money {
  const amount = parseMoneyInput(text);
  if (amount === null) throw new Error(`Not an amount: ${JSON.stringify(text)}`);
  return { amount, currency: CURRENCY };
}

/** quantity × unit price, exactly (bigint fen); null while the price is not a valid amount. */
export function lineAmount(quantity: number | null | undefined, unitPrice: string): Money | null {
  const amount = parseMoneyInput(unitPrice);
  if (amount === null || quantity == null || !Number.isInteger(quantity)) return null;
  const minor = toMinorUnits(amount, CURRENCY) * BigInt(quantity);
  return { amount: fromMinorUnits(minor, CURRENCY), currency: CURRENCY };
}

export function sumAmounts(amounts: (Money | null)[]): Money {
  let total = 0n;
  for (const money of amounts) if (money) total += toMinorUnits(money.amount, money.currency);
  return { amount: fromMinorUnits(total, CURRENCY), currency: CURRENCY };
}

/** A date picker's value (dayjs) or an ISO string → "YYYY-MM-DD", or null when empty. */
export function apiDate(value: { format(template: string): string } | string | null | undefined) {
  if (value == null || value === '') return null;
  return typeof value === 'string' ? value.slice(0, 10) : value.format('YYYY-MM-DD');
}

type DateValue = Parameters<typeof apiDate>[0];

export interface PurchaseOrderForm {
  brand: number;
  warehouse: number;
  ownership: 'buy_out' | 'consignment';
  note?: string;
  lines: {
    stock_item: number;
    quantity: number;
    unit_price: string;
    expected_date?: DateValue;
  }[];
}

/**
 * Drop optional text fields left blank. The backend's serializers give them a default of "" but
 * refuse "" when it is sent ("This field may not be blank"), so a blank one must not be sent.
 */
export function withoutBlank<T extends object>(body: T, keys: (keyof T)[]): T {
  const copy = { ...body };
  for (const key of keys) if (copy[key] === '') delete copy[key];
  return copy;
}

export function purchaseOrderPayload(form: PurchaseOrderForm): PurchaseOrderCreate {
  const body: PurchaseOrderCreate = {
    brand: form.brand,
    warehouse: form.warehouse,
    ownership: form.ownership,
    note: form.note?.trim() ?? '',
    lines: form.lines.map((line) => ({
      stock_item: line.stock_item,
      quantity: line.quantity,
      unit_price: moneyRequest(line.unit_price),
      expected_date: apiDate(line.expected_date),
    })),
  };
  return withoutBlank(body, ['note']);
}

export interface ReceiveLineForm {
  purchase_order_line: number;
  quantity?: number | null;
  batch_number?: string;
  production_date?: DateValue;
  expiry_date?: DateValue;
}

export interface ReceiveForm {
  location?: number | null;
  effective_date?: DateValue;
  note?: string;
  lines: ReceiveLineForm[];
}

/**
 * Only lines with a quantity are sent. `lineIds[i]` is the purchase-order line of the request's
 * i-th line, so that an error on `lines[i]` can be shown next to the right row.
 */
export function receiptPayload(form: ReceiveForm): { body: ReceiptCreate; lineIds: number[] } {
  const lines = form.lines.filter((line) => (line.quantity ?? 0) > 0);
  return {
    lineIds: lines.map((line) => line.purchase_order_line),
    body: withoutBlank<ReceiptCreate>(
      {
        location: form.location ?? null,
        effective_date: apiDate(form.effective_date),
        note: form.note?.trim() ?? '',
        lines: lines.map((line) => ({
          purchase_order_line: line.purchase_order_line,
          quantity: line.quantity as number,
          batch_number: line.batch_number?.trim() ?? '',
          production_date: apiDate(line.production_date),
          expiry_date: apiDate(line.expiry_date),
        })),
      },
      ['note'],
    ),
  };
}

/**
 * The backend answers a bad request in two shapes: a service's DomainError
 * `{detail, code, errors: {"lines[1].quantity": ["…"]}}`, or a serializer's nested
 * `{"lines": {"1": {"quantity": ["…"]}}}` (lists of errors may also come as arrays).
 * Both become `{"lines[1].quantity": ["…"]}`.
 */
export function fieldErrors(body: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (path: string, message: string) => {
    (out[path || 'detail'] ??= []).push(message);
  };
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') return add(path, value);
    if (Array.isArray(value)) {
      if (value.every((v) => typeof v === 'string')) {
        value.forEach((v) => add(path, v as string));
        return;
      }
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
      return;
    }
    if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        const next = /^\d+$/.test(key)
          ? `${path}[${key}]`
          : key === 'non_field_errors'
            ? path
            : path
              ? `${path}.${key}`
              : key;
        walk(inner, next);
      }
    }
  };
  if (body && typeof body === 'object' && 'errors' in body) {
    const errors = (body as { errors: unknown }).errors;
    if (errors && typeof errors === 'object') {
      for (const [path, messages] of Object.entries(errors)) walk(messages, path);
    }
    return out;
  }
  if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) {
      if (key === 'code') continue;
      walk(value, key === 'detail' ? '' : key);
    }
  }
  return out;
}

/** Errors of `lines[i]…`, keyed by i, each message prefixed by the sub-field when there is one. */
export function lineErrors(
  errors: Record<string, string[]>,
  prefix = 'lines',
): Map<number, string[]> {
  const byLine = new Map<number, string[]>();
  const pattern = new RegExp(`^${prefix}\\[(\\d+)\\](?:\\.(.+))?$`);
  for (const [path, messages] of Object.entries(errors)) {
    const match = pattern.exec(path);
    if (!match) continue;
    const index = Number(match[1]);
    byLine.set(index, [...(byLine.get(index) ?? []), ...messages]);
  }
  return byLine;
}

/** An API error that keeps the backend's per-field messages. */
export class FieldApiError extends ApiError {
  readonly fields: Record<string, string[]>;

  constructor(status: number, body: unknown) {
    const fields = fieldErrors(body);
    const detail =
      body && typeof body === 'object' && typeof (body as { detail?: unknown }).detail === 'string'
        ? (body as { detail: string }).detail
        : (Object.values(fields)[0]?.[0] ?? null);
    super(status, detail);
    this.name = 'FieldApiError';
    this.fields = fields;
  }
}

/** Like `unwrap` from api/client, but a failure keeps the per-field errors. */
export function unwrapFields<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok || result.error !== undefined) {
    throw new FieldApiError(result.response.status, result.error);
  }
  return result.data as T;
}
