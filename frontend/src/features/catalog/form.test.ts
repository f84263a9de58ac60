import { describe, expect, it } from 'vitest';
import {
  amountToFen,
  createPayload,
  duplicateCodes,
  emptyForm,
  formFromProduct,
  isAmount,
  patchPayload,
  skuChanges,
  skuPriceProblems,
  toMoney,
  type ProductFormValues,
} from './form';
import type { Product } from './models';

const money = (amount: string) => ({ amount, currency: 'CNY' });

const PRODUCT: Product = {
  id: 5,
  brand: { id: 3, name: '雅安蒙顶云雾茶业有限公司' },
  category: { id: 11, code: 'tea.green', name: '绿茶', parent: 2 },
  name: '蒙顶甘露 特级 100g',
  description: '明前茶',
  selling_points: ['明前采摘'],
  origin_city: '雅安市',
  origin_county: '名山区',
  is_geographic_indication: false,
  shelf_life_days: 540,
  ship_from: '雅安仓',
  status: 'approved',
  rejection_reason: '',
  skus: [
    {
      id: 51,
      code: 'MD-GL-T100',
      spec: '特级 100g 罐装',
      supply_price: money('88.00'),
      retail_price: money('168.00'),
      min_live_price: money('128.00'),
      max_live_price: money('168.00'),
    },
    {
      id: 52,
      code: 'MD-GL-T250',
      spec: '特级 250g 礼盒',
      supply_price: money('208.00'),
      retail_price: money('398.00'),
      min_live_price: money('299.00'),
      max_live_price: money('398.00'),
    },
  ],
  images: [],
};

describe('money in the editor', () => {
  it('reads yuan text as exact fen and sends decimal strings', () => {
    expect(amountToFen('0.1')).toBe(10n);
    expect(amountToFen('0.29')).toBe(29n);
    expect(amountToFen('¥1,234.5')).toBe(123450n);
    expect(amountToFen('19.99')).toBe(1999n);
    expect(toMoney('12.5')).toEqual({ amount: '12.50', currency: 'CNY' });
    expect(toMoney('9999999999.99')).toEqual({ amount: '9999999999.99', currency: 'CNY' });
    expect(toMoney('0.07')).toEqual({ amount: '0.07', currency: 'CNY' });
  });

  it('accepts at most two decimals and no signs or exponents', () => {
    for (const good of ['1', '1.2', '1.23', '¥8.80', '1,000']) expect(isAmount(good)).toBe(true);
    for (const bad of ['', '1.234', '-1', '1e3', 'abc', '.5', undefined, null]) {
      expect(isAmount(bad)).toBe(false);
    }
    expect(() => amountToFen('1.234')).toThrow();
  });

  it("checks the backend's price rules per field", () => {
    const sku = {
      supply_price: '10',
      retail_price: '9.99',
      min_live_price: '20',
      max_live_price: '19.99',
    };
    expect(skuPriceProblems(sku)).toEqual({
      retail_price: 'retailBelowSupply',
      max_live_price: 'maxBelowMin',
    });
    expect(
      skuPriceProblems({ ...sku, retail_price: '10', max_live_price: '20', supply_price: '0' }),
    ).toEqual({ supply_price: 'positive' });
    expect(skuPriceProblems({ ...sku, supply_price: 'x' }).supply_price).toBe('badAmount');
    expect(
      skuPriceProblems({
        supply_price: '0.1',
        retail_price: '0.10',
        min_live_price: '0.29',
        max_live_price: '0.29',
      }),
    ).toEqual({});
  });

  it('finds duplicate codes case-insensitively', () => {
    expect([...duplicateCodes([{ code: 'a-1' }, { code: 'A-1 ' }, { code: 'b' }])]).toEqual([
      'A-1',
    ]);
  });
});

describe('payloads', () => {
  const values: ProductFormValues = {
    ...emptyForm(),
    name: ' 青城雪芽 ',
    category: 11,
    origin: ['成都市', '都江堰市'],
    selling_points: ['高山', ' ', '手工'],
    shelf_life_days: 365,
    skus: [
      {
        code: 'QC-1',
        spec: '100g',
        supply_price: '50',
        retail_price: '99.9',
        min_live_price: '79',
        max_live_price: '99.90',
      },
    ],
  };

  it('creates a product with its SKUs as money objects', () => {
    expect(createPayload(values)).toEqual({
      category: 11,
      name: '青城雪芽',
      description: '',
      selling_points: ['高山', '手工'],
      origin_city: '成都市',
      origin_county: '都江堰市',
      is_geographic_indication: false,
      shelf_life_days: 365,
      ship_from: '',
      skus: [
        {
          code: 'QC-1',
          spec: '100g',
          supply_price: { amount: '50.00', currency: 'CNY' },
          retail_price: { amount: '99.90', currency: 'CNY' },
          min_live_price: { amount: '79.00', currency: 'CNY' },
          max_live_price: { amount: '99.90', currency: 'CNY' },
        },
      ],
    });
  });

  it('sends a prefecture without a county as a blank county', () => {
    expect(createPayload({ ...values, origin: ['泸州市'] }).origin_county).toBe('');
  });

  it('patches only what changed, origin city and county together', () => {
    const form = formFromProduct(PRODUCT);
    expect(patchPayload(PRODUCT, form)).toEqual({});
    expect(
      patchPayload(PRODUCT, { ...form, origin: ['雅安市', '雨城区'], ship_from: '成都仓' }),
    ).toEqual({
      origin_city: '雅安市',
      origin_county: '雨城区',
      ship_from: '成都仓',
    });
  });

  it('turns SKU edits into creates, partial updates and deletes', () => {
    const form = formFromProduct(PRODUCT);
    expect(form.skus[0].supply_price).toBe('88.00');
    expect(skuChanges(PRODUCT.skus, form.skus)).toEqual({ create: [], update: [], remove: [] });
    const edited = [
      { ...form.skus[0], retail_price: '168', max_live_price: '158.5' },
      {
        code: 'MD-GL-NEW',
        spec: '50g',
        supply_price: '30',
        retail_price: '58',
        min_live_price: '45',
        max_live_price: '58',
      },
    ];
    expect(skuChanges(PRODUCT.skus, edited)).toEqual({
      create: [
        {
          code: 'MD-GL-NEW',
          spec: '50g',
          supply_price: { amount: '30.00', currency: 'CNY' },
          retail_price: { amount: '58.00', currency: 'CNY' },
          min_live_price: { amount: '45.00', currency: 'CNY' },
          max_live_price: { amount: '58.00', currency: 'CNY' },
        },
      ],
      update: [{ id: 51, data: { max_live_price: { amount: '158.50', currency: 'CNY' } } }],
      remove: [52],
    });
  });
});
