import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BRAND_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';

const SUPPLY_ME = {
  id: 4,
  username: 'op_supply',
  display_name: '供应链专员 刘洋',
  organization: { id: 1, name: '四川蜀选供应链管理有限公司', kind: 'operator' },
  roles: ['supply'],
  home: 'operator',
  language: 'zh-hans',
};

const page = <T,>(results: T[]) => ({ count: results.length, next: null, previous: null, results });
const money = (amount: string) => ({ amount, currency: 'CNY' });
const item = { id: 4, sku_code: 'CWF-NY-500', name: '川味坊 牛油火锅底料 500g', unit: '袋' };
const operator = { id: 1, name: '四川蜀选供应链管理有限公司', kind: 'operator' };
const brand = { id: 7, name: '成都川味坊火锅食品有限公司', kind: 'brand' };

const ORDER = {
  id: 9,
  buyer: operator,
  brand,
  warehouse: 'YB-CP',
  ownership: 'buy_out',
  state: 'confirmed',
  note: '',
  created_at: '2026-11-25T05:00:00Z',
  confirmed_at: '2026-11-25T05:01:00Z',
  lines: [
    {
      id: 31,
      line_no: 1,
      stock_item: item,
      quantity: 12,
      unit_price: money('23.45'),
      expected_date: null,
      received_quantity: 0,
    },
  ],
};

const WAREHOUSES = page([
  {
    id: 2,
    code: 'YB-CP',
    name: '宜宾翠屏仓',
    city: '宜宾市',
    county: '翠屏区',
    locations: [
      { id: 3, warehouse: 2, kind: 'storage', code: 'STOCK', name: '默认库位 Stock' },
      { id: 4, warehouse: 2, kind: 'in_transit', code: 'TRANSIT', name: '在途 In transit' },
    ],
  },
]);

describe('supply pages', () => {
  it('shows the backend line error next to the line being received', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: SUPPLY_ME },
      'GET /api/supply/purchase-orders/': { body: page([ORDER]) },
      'GET /api/supply/warehouses/': { body: WAREHOUSES },
      'GET /api/supply/stock-items/': {
        body: page([{ ...item, brand, requires_lot: true }]),
      },
      'POST /api/supply/purchase-orders/9/receive/': {
        status: 400,
        body: {
          detail: '第1行 / line 1 (CWF-NY-500): 食品酒类须填保质期',
          code: 'invalid',
          errors: { 'lines[0].expiry_date': ['第1行 / line 1 (CWF-NY-500): 食品酒类须填保质期'] },
        },
      },
    });
    renderApp('/supply/purchase-orders');
    const table = await screen.findByTestId('purchase-orders-table');
    expect(await within(table).findByText('PO9')).toBeInTheDocument();
    expect(within(table).getByText('¥281.40')).toBeInTheDocument();
    expect(within(table).getByText('已确认')).toBeInTheDocument();

    fireEvent.click(screen.getByTestId('po-receive-9'));
    const drawer = await screen.findByTestId('receive-drawer');
    const batch = drawer.querySelector('#receive_lines_0_batch_number') as HTMLInputElement;
    fireEvent.change(batch, { target: { value: ' B2511 ' } });
    fireEvent.click(screen.getByTestId('receive-submit'));
    const error = await screen.findByTestId('receive-line-error-31');
    expect(error).toHaveTextContent('食品酒类须填保质期');

    const post = calls.find((c) => c.method === 'POST');
    expect(JSON.parse(post?.body ?? '{}')).toMatchObject({
      lines: [{ purchase_order_line: 31, quantity: 12, batch_number: 'B2511' }],
    });
  });

  it('gives a brand its stock read-only and none of the operator registers', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'GET /api/supply/warehouses/': { body: page([]) },
      'GET /api/supply/stock-items/': { body: page([]) },
      'GET /api/supply/stock/': {
        body: {
          ...page([
            {
              id: 2,
              warehouse: 'CD-SL',
              location: { id: 1, warehouse: 1, kind: 'storage', code: 'STOCK', name: '默认库位' },
              stock_item: { id: 1, sku_code: 'XFJ-NX52-500', name: '叙府窖 52度', unit: '瓶' },
              lot: {
                id: 1,
                batch_number: 'XFJ2505A',
                production_date: null,
                expiry_date: '2030-05-07',
              },
              owner: operator,
              on_hand: 120,
              reserved: 20,
              available: 100,
              // The ledger's value (the cost pool's, allocated over its rows), not 120 × 168.00.
              unit_cost: money('168.00'),
              value: money('20159.99'),
            },
          ]),
          // Of every row the filters select, not of this page only.
          total_value: money('45680.00'),
        },
      },
    });
    const { router } = renderApp('/supply');
    const table = await screen.findByTestId('stock-table');
    expect(await within(table).findByText('¥20,159.99')).toBeInTheDocument();
    expect(screen.getByTestId('stock-total-value')).toHaveTextContent('¥45,680.00');
    expect(screen.getByTestId('stock-total-available')).toHaveTextContent('100');
    await waitFor(() => expect(router.state.location.pathname).toBe('/supply/stock'));
    expect(screen.getAllByRole('tab').map((tab) => tab.textContent)).toEqual([
      '采购单',
      '库存',
      '进销存报表',
    ]);
    expect(calls.some((c) => c.path.includes('in_stock=true'))).toBe(true);
  });

  it('exports the stock with the filters of the page', async () => {
    mockApi({
      'GET /api/auth/me/': { body: SUPPLY_ME },
      'GET /api/supply/warehouses/': { body: WAREHOUSES },
      'GET /api/supply/stock-items/': { body: page([]) },
      'GET /api/supply/stock/': { body: page([]) },
    });
    renderApp('/supply/stock?warehouse=2&sku=CWF-NY-500&owner=1');
    const csv = await screen.findByTestId('stock-export-csv');
    const query = (link: HTMLElement) =>
      Object.fromEntries(new URL(link.getAttribute('href') ?? '', 'http://x').searchParams);
    expect(new URL(csv.getAttribute('href') ?? '', 'http://x').pathname).toBe(
      '/api/supply/stock/export/',
    );
    expect(query(csv)).toEqual({
      fmt: 'csv',
      warehouse: '2',
      sku: 'CWF-NY-500',
      owner: '1',
      in_stock: 'true',
    });
    expect(csv).toHaveAttribute('download');
    expect(csv).toHaveTextContent('导出 CSV');
    const xlsx = screen.getByTestId('stock-export-xlsx');
    expect(query(xlsx).fmt).toBe('xlsx');
    expect(xlsx).toHaveTextContent('导出 Excel');
  });
});
