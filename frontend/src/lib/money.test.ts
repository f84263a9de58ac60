import { describe, expect, it } from 'vitest';
import { formatBps, formatMoney, fromMinorUnits, sumMoney, toMinorUnits } from './money';

describe('formatMoney', () => {
  it('formats the contract example', () => {
    expect(formatMoney({ amount: '1234.5', currency: 'CNY' })).toBe('¥1,234.50');
  });

  it.each([
    ['0', '¥0.00'],
    ['0.1', '¥0.10'],
    ['12.34', '¥12.34'],
    ['999', '¥999.00'],
    ['1000', '¥1,000.00'],
    ['-1234.5', '-¥1,234.50'],
    ['-0.01', '-¥0.01'],
    ['1234567890.12', '¥1,234,567,890.12'],
  ])('%s → %s', (amount, expected) => {
    expect(formatMoney({ amount, currency: 'CNY' })).toBe(expected);
  });

  it('keeps amounts beyond float precision exact', () => {
    // 2^53 + 1 yuan: a float would print ...992.00
    expect(formatMoney({ amount: '9007199254740993.99', currency: 'CNY' })).toBe(
      '¥9,007,199,254,740,993.99',
    );
  });

  it('rounds half-up beyond the minor unit', () => {
    expect(formatMoney({ amount: '0.005', currency: 'CNY' })).toBe('¥0.01');
    expect(formatMoney({ amount: '0.0049', currency: 'CNY' })).toBe('¥0.00');
    expect(formatMoney({ amount: '-2.675', currency: 'CNY' })).toBe('-¥2.68');
  });

  it('uses other currencies and their minor units', () => {
    expect(formatMoney({ amount: '1234.5', currency: 'USD' })).toBe('$1,234.50');
    expect(formatMoney({ amount: '1234', currency: 'JPY' })).toBe('JP¥1,234');
    expect(formatMoney({ amount: '5', currency: 'CHF' })).toBe('CHF 5.00');
  });

  it('refuses what is not a decimal string', () => {
    expect(() => formatMoney({ amount: '1e3', currency: 'CNY' })).toThrow();
    expect(() => formatMoney({ amount: 'abc', currency: 'CNY' })).toThrow();
    expect(() => formatMoney({ amount: '', currency: 'CNY' })).toThrow();
  });
});

describe('minor units', () => {
  it('round-trips', () => {
    expect(toMinorUnits('1234.5', 'CNY')).toBe(123450n);
    expect(toMinorUnits('-0.07', 'CNY')).toBe(-7n);
    expect(fromMinorUnits(123450n, 'CNY')).toBe('1234.50');
    expect(fromMinorUnits(-7n, 'CNY')).toBe('-0.07');
    expect(fromMinorUnits(0n, 'CNY')).toBe('0.00');
  });

  it('sums exactly where floats would drift', () => {
    const dimes = Array.from({ length: 10 }, () => ({ amount: '0.1', currency: 'CNY' }));
    expect(sumMoney(dimes)).toEqual({ amount: '1.00', currency: 'CNY' });
    expect(
      sumMoney([
        { amount: '0.1', currency: 'CNY' },
        { amount: '0.2', currency: 'CNY' },
      ]),
    ).toEqual({
      amount: '0.30',
      currency: 'CNY',
    });
    expect(() => sumMoney([{ amount: '1', currency: 'USD' }])).toThrow();
  });
});

describe('formatBps', () => {
  it('formats basis points as percent', () => {
    expect(formatBps(3200)).toBe('32.00%');
    expect(formatBps(5)).toBe('0.05%');
    expect(formatBps(10000)).toBe('100.00%');
    expect(formatBps(0)).toBe('0.00%');
  });
});
