import { describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS, importOutcome, rejectionRows, templateCsv } from './importFile';

describe('the import template', () => {
  it('has the documented columns, the required ones first, and an example row', () => {
    const csv = templateCsv();
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const [header, example] = csv.slice(1).split('\r\n');
    expect(header.split(',')).toEqual(IMPORT_COLUMNS.map((c) => c.zh));
    expect(IMPORT_COLUMNS.map((c) => c.name)).toEqual([
      'sku_code',
      'product_name',
      'category',
      'spec',
      'supply_price',
      'retail_price',
      'min_live_price',
      'max_live_price',
      'currency',
      'origin_city',
      'origin_county',
      'is_geographic_indication',
      'shelf_life_days',
      'ship_from',
      'selling_points',
      'description',
    ]);
    expect(IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.name)).toEqual([
      'sku_code',
      'product_name',
      'category',
      'spec',
      'supply_price',
      'retail_price',
      'min_live_price',
      'max_live_price',
      'origin_city',
    ]);
    expect(example.split(',')).toHaveLength(IMPORT_COLUMNS.length);
  });
});

describe('importOutcome', () => {
  it('reads a good import', () => {
    expect(importOutcome(200, { created: 3, updated: 1, unchanged: 2, rejected: [] })).toEqual({
      kind: 'imported',
      report: { created: 3, updated: 1, unchanged: 2, rejected: [] },
    });
  });

  it('reads a refused file with its rows', () => {
    const body = {
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: [{ line: 3, field: 'retail_price', reason: '不是金额' }],
    };
    expect(importOutcome(400, body)).toEqual({ kind: 'refused', report: body });
  });

  it('reads a file the backend could not read', () => {
    expect(
      importOutcome(400, {
        detail: '缺少列 / missing columns: spec',
        code: 'invalid',
        errors: { file: ['缺少列 / missing columns: spec'] },
      }),
    ).toEqual({ kind: 'unreadable', message: '缺少列 / missing columns: spec' });
    expect(importOutcome(400, { file: ['No file was submitted.'] })).toEqual({
      kind: 'unreadable',
      message: 'No file was submitted.',
    });
  });

  it('sorts rejections by line and field', () => {
    const rows = rejectionRows([
      { line: 4, field: 'spec', reason: 'a' },
      { line: 2, field: 'sku_code', reason: 'b' },
      { line: 2, field: 'category', reason: 'c' },
    ]);
    expect(rows.map((r) => `${r.line}:${r.field}`)).toEqual(['2:category', '2:sku_code', '4:spec']);
  });
});
