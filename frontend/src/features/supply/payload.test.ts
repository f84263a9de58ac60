import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import {
  FieldApiError,
  fieldErrors,
  lineAmount,
  lineErrors,
  parseMoneyInput,
  purchaseOrderPayload,
  receiptPayload,
  sumAmounts,
} from './payload';

describe('parseMoneyInput', () => {
  it('normalises what a person types to a decimal string in fen', () => {
    expect(parseMoneyInput('168')).toBe('168.00');
    expect(parseMoneyInput(' 23.4 ')).toBe('23.40');
    expect(parseMoneyInput('1,234.56')).toBe('1234.56');
    expect(parseMoneyInput('¥9.9')).toBe('9.90');
    expect(parseMoneyInput('0')).toBe('0.00');
    expect(parseMoneyInput('12345678901234567.89')).toBe('12345678901234567.89');
  });

  it('refuses what is not an amount in fen (no silent rounding)', () => {
    for (const bad of ['', 'abc', '1.234', '-5', '1e3', '12,34', '1.', '.5', null, undefined]) {
      expect(parseMoneyInput(bad as string)).toBeNull();
    }
  });
});

describe('amounts', () => {
  it('multiplies quantity by unit price exactly, without floats', () => {
    expect(lineAmount(3, '0.10')).toEqual({ amount: '0.30', currency: 'CNY' });
    expect(lineAmount(12, '23.45')).toEqual({ amount: '281.40', currency: 'CNY' });
    expect(lineAmount(1_000_000, '9999999.99')).toEqual({
      amount: '9999999990000.00',
      currency: 'CNY',
    });
    expect(lineAmount(2, 'x')).toBeNull();
    expect(lineAmount(undefined, '1')).toBeNull();
  });

  it('sums lines and values stock rows', () => {
    expect(sumAmounts([lineAmount(3, '0.10'), null, { amount: '0.20', currency: 'CNY' }])).toEqual({
      amount: '0.50',
      currency: 'CNY',
    });
  });
});

describe('purchaseOrderPayload', () => {
  it('sends money as a decimal string object and dates as YYYY-MM-DD', () => {
    const body = purchaseOrderPayload({
      brand: 7,
      warehouse: 2,
      ownership: 'buy_out',
      note: '  spring order ',
      lines: [
        { stock_item: 4, quantity: 12, unit_price: '23.4', expected_date: dayjs('2026-12-01') },
        { stock_item: 5, quantity: 1, unit_price: '1,000' },
      ],
    });
    expect(body).toEqual({
      brand: 7,
      warehouse: 2,
      ownership: 'buy_out',
      note: 'spring order',
      lines: [
        {
          stock_item: 4,
          quantity: 12,
          unit_price: { amount: '23.40', currency: 'CNY' },
          expected_date: '2026-12-01',
        },
        {
          stock_item: 5,
          quantity: 1,
          unit_price: { amount: '1000.00', currency: 'CNY' },
          expected_date: null,
        },
      ],
    });
    expect(typeof body.lines[0].unit_price.amount).toBe('string');
  });

  it('leaves a blank note out (the backend refuses "" for it)', () => {
    const body = purchaseOrderPayload({
      brand: 1,
      warehouse: 1,
      ownership: 'consignment',
      note: '  ',
      lines: [{ stock_item: 1, quantity: 1, unit_price: '5' }],
    });
    expect('note' in body).toBe(false);
  });

  it('throws on an amount the form should have refused', () => {
    expect(() =>
      purchaseOrderPayload({
        brand: 1,
        warehouse: 1,
        ownership: 'consignment',
        lines: [{ stock_item: 1, quantity: 1, unit_price: '1.005' }],
      }),
    ).toThrow(/Not an amount/);
  });
});

describe('receiptPayload', () => {
  it('sends only lines with a quantity and remembers which order line each is', () => {
    const { body, lineIds } = receiptPayload({
      location: 3,
      effective_date: dayjs('2026-11-25'),
      lines: [
        { purchase_order_line: 10, quantity: 0, batch_number: 'A' },
        {
          purchase_order_line: 11,
          quantity: 5,
          batch_number: ' B2511 ',
          production_date: dayjs('2026-11-01'),
          expiry_date: '2028-10-31',
        },
        { purchase_order_line: 12, quantity: null },
        { purchase_order_line: 13, quantity: 2 },
      ],
    });
    expect(lineIds).toEqual([11, 13]);
    expect(body).toEqual({
      location: 3,
      effective_date: '2026-11-25',
      lines: [
        {
          purchase_order_line: 11,
          quantity: 5,
          batch_number: 'B2511',
          production_date: '2026-11-01',
          expiry_date: '2028-10-31',
        },
        {
          purchase_order_line: 13,
          quantity: 2,
          batch_number: '',
          production_date: null,
          expiry_date: null,
        },
      ],
    });
  });
});

describe('fieldErrors', () => {
  it("reads a service's DomainError body", () => {
    const body = {
      detail: '超收',
      code: 'over_receipt',
      errors: { 'lines[1].quantity': ['超收 / over-receipt'] },
    };
    expect(fieldErrors(body)).toEqual({ 'lines[1].quantity': ['超收 / over-receipt'] });
  });

  it("flattens a serializer's nested errors, with list indexes as objects or arrays", () => {
    expect(
      fieldErrors({
        lines: { '0': { quantity: ['请确保该值大于或者等于 1。'] } },
        brand: ['必填'],
      }),
    ).toEqual({ 'lines[0].quantity': ['请确保该值大于或者等于 1。'], brand: ['必填'] });
    expect(
      fieldErrors({ lines: [{}, { unit_price: { amount: ['bad'] } }], non_field_errors: ['x'] }),
    ).toEqual({ 'lines[1].unit_price.amount': ['bad'], non_field_errors: ['x'] });
    expect(fieldErrors({ detail: 'nope' })).toEqual({ detail: ['nope'] });
  });

  it('groups messages by line', () => {
    const byLine = lineErrors({
      'lines[0].batch_number': ['须填批次号'],
      'lines[0].expiry_date': ['须填保质期'],
      'lines[2]': ['重复'],
      location: ['no such location'],
    });
    expect([...byLine.entries()]).toEqual([
      [0, ['须填批次号', '须填保质期']],
      [2, ['重复']],
    ]);
  });

  it('keeps the fields on the thrown error', () => {
    const error = new FieldApiError(400, { errors: { 'lines[0].quantity': ['too many'] } });
    expect(error.status).toBe(400);
    expect(error.message).toBe('too many');
    expect(error.fields).toEqual({ 'lines[0].quantity': ['too many'] });
  });
});
