import { describe, expect, it } from 'vitest';
import type { ReportRow } from './models';
import { reportExportUrl, reportTotals } from './report';

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

describe('reportTotals', () => {
  it('adds quantities and values exactly', () => {
    const totals = reportTotals(ROWS);
    expect(totals.closing).toEqual(flow(266, '19488.10'));
    expect(totals.adjusted).toEqual(flow(-1, '-168.00'));
    expect(reportTotals([]).opening).toEqual(flow(0, '0.00'));
  });
});

describe('reportExportUrl', () => {
  it('asks the server for the range and owner on screen', () => {
    expect(
      reportExportUrl('xlsx', { dateFrom: '2026-11-01', dateTo: '2026-11-30', owner: 4 }),
    ).toBe('/api/supply/report/export/?fmt=xlsx&date_from=2026-11-01&date_to=2026-11-30&owner=4');
    expect(reportExportUrl('csv', { dateFrom: '2026-11-01', dateTo: '2026-11-15' })).toBe(
      '/api/supply/report/export/?fmt=csv&date_from=2026-11-01&date_to=2026-11-15',
    );
  });
});
