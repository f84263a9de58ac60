import { describe, expect, it } from 'vitest';
import type { ReportRow } from './models';
import { csvField, reportCsv, reportTotals } from './report';

const flow = (quantity: number, amount: string) => ({
  quantity,
  value: { amount, currency: 'CNY' },
});

const ROWS: ReportRow[] = [
  {
    stock_item_id: 1,
    sku_code: 'XFJ-NX52-500',
    name: '叙府窖 浓香型 52度 500ml',
    owner_id: 1,
    owner_name: '四川蜀选供应链管理有限公司',
    ownership: 'buy_out',
    opening: flow(100, '16800.00'),
    purchased: flow(20, '3360.00'),
    sold: flow(3, '504.00'),
    sampled: flow(1, '168.00'),
    returned: flow(1, '168.00'),
    adjusted: flow(-1, '-168.00'),
    closing: flow(116, '19488.00'),
  },
  {
    stock_item_id: 3,
    sku_code: 'MD-GL-100',
    name: '蒙顶甘露, "明前" 特级',
    owner_id: 4,
    owner_name: '雅安蒙顶云雾茶业有限公司',
    ownership: 'consignment',
    opening: flow(0, '0.00'),
    purchased: flow(150, '8700.00'),
    sold: flow(0, '0.00'),
    sampled: flow(0, '0.00'),
    returned: flow(0, '0.00'),
    adjusted: flow(0, '0.00'),
    closing: flow(150, '0.10'),
  },
];

const LABELS = {
  sku: 'SKU',
  name: '商品',
  owner: '货主',
  ownershipTitle: '经营方式',
  ownership: (v: string) => (v === 'buy_out' ? '经销' : '代销'),
  flow: (f: string) => f,
  qty: '数量',
  value: '金额',
  totals: '合计',
};

describe('reportTotals', () => {
  it('adds quantities and values exactly', () => {
    const totals = reportTotals(ROWS);
    expect(totals.closing).toEqual(flow(266, '19488.10'));
    expect(totals.adjusted).toEqual(flow(-1, '-168.00'));
    expect(reportTotals([]).opening).toEqual(flow(0, '0.00'));
  });
});

describe('reportCsv', () => {
  it('writes a BOM, a header, one line per row and a totals line', () => {
    const text = reportCsv(ROWS, LABELS);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
    expect(lines[0]).toBe(
      'SKU,商品,货主,经营方式,opening 数量,opening 金额,purchased 数量,purchased 金额,sold 数量,sold 金额,' +
        'sampled 数量,sampled 金额,returned 数量,returned 金额,adjusted 数量,adjusted 金额,closing 数量,closing 金额',
    );
    expect(lines[1]).toBe(
      'XFJ-NX52-500,叙府窖 浓香型 52度 500ml,四川蜀选供应链管理有限公司,经销,' +
        '100,16800.00,20,3360.00,3,504.00,1,168.00,1,168.00,-1,-168.00,116,19488.00',
    );
    expect(lines[2]).toContain('"蒙顶甘露, ""明前"" 特级"');
    expect(lines[3]).toBe(
      '合计,,,,100,16800.00,170,12060.00,3,504.00,1,168.00,1,168.00,-1,-168.00,266,19488.10',
    );
  });

  it('exports only the header for an empty report', () => {
    expect(reportCsv([], LABELS).slice(1).split('\r\n')).toHaveLength(2);
  });

  it('defuses spreadsheet formulas but keeps negative numbers', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-168.00')).toBe('-168.00');
    expect(csvField(-3)).toBe('-3');
    expect(csvField('a\nb')).toBe('"a\nb"');
  });
});
