import { describe, expect, it } from 'vitest';
import { chartDataFrom } from './api';

const cards = [
  { key: 'a', label_zh: '甲', label_en: 'A', value: 1 },
  { key: 'm', label_zh: '钱', label_en: 'Money', value: { amount: '1.00', currency: 'CNY' } },
  { key: 'b', label_zh: '乙', label_en: 'B', value: 2 },
];

describe('chartDataFrom', () => {
  it('reads labels/values', () => {
    expect(chartDataFrom({ labels: ['x', 'y'], values: [3, 4] }, cards, 'zh')).toEqual({
      labels: ['x', 'y'],
      values: [3, 4],
    });
  });

  it('reads a name → number map, also nested one level', () => {
    expect(chartDataFrom({ brand: 2, mcn: 5 }, cards, 'zh')).toEqual({
      labels: ['brand', 'mcn'],
      values: [2, 5],
    });
    expect(chartDataFrom({ organizations_by_kind: { brand: 2 } }, cards, 'zh')).toEqual({
      labels: ['brand'],
      values: [2],
    });
  });

  it('reads a list of {label, value}', () => {
    expect(chartDataFrom([{ name: 'x', value: 1 }], cards, 'zh')).toEqual({
      labels: ['x'],
      values: [1],
    });
  });

  it('reads the backend shape {organizations_by_kind: [{kind, count}]}', () => {
    expect(
      chartDataFrom(
        {
          organizations_by_kind: [
            { kind: 'brand', count: 12 },
            { kind: 'mcn', count: 2 },
          ],
        },
        cards,
        'zh',
      ),
    ).toEqual({ labels: ['brand', 'mcn'], values: [12, 2] });
  });

  it('falls back to the numeric cards', () => {
    expect(chartDataFrom(undefined, cards, 'en')).toEqual({ labels: ['A', 'B'], values: [1, 2] });
    expect(chartDataFrom({ weird: 'shape' }, cards, 'zh')).toEqual({
      labels: ['甲', '乙'],
      values: [1, 2],
    });
    expect(chartDataFrom({}, cards, 'zh')).toEqual({ labels: ['甲', '乙'], values: [1, 2] });
    expect(chartDataFrom(undefined, [], 'zh')).toBeNull();
    expect(chartDataFrom(undefined, cards.slice(0, 1), 'zh')).toBeNull();
  });
});
