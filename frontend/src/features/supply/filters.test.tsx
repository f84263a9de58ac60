import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, queriesOf as queryOf } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';

// A home card links to these lists with its filter in the URL: the list asks the API for
// exactly that filter, shows it as a removable tag, and drops it when the tag is closed.

const SUPPLY_ME = {
  id: 4,
  username: 'op_supply',
  display_name: '供应链专员 刘洋',
  organization: { id: 1, name: '四川蜀选供应链管理有限公司', kind: 'operator' },
  roles: ['supply'],
  home: 'operator',
  language: 'zh-hans',
};
const empty = { count: 0, next: null, previous: null, results: [] };

function closeTag(testId: string) {
  const tag = screen.getByTestId(testId);
  fireEvent.click(tag.querySelector('.ant-tag-close-icon')!);
}

describe('supply lists honour the filter of the link that led there', () => {
  it('purchase orders: ?due_by= asks for the orders due by that day and shows it', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: SUPPLY_ME },
      'GET /api/supply/purchase-orders/': { body: empty },
    });
    renderApp('/supply/purchase-orders?due_by=2026-04-01&state=confirmed&due_by_junk=1');
    expect(await screen.findByTestId('filter-tag-due_by')).toHaveTextContent('2026-04-01');
    await waitFor(() => expect(queryOf(calls, '/api/supply/purchase-orders/')).not.toHaveLength(0));
    const first = queryOf(calls, '/api/supply/purchase-orders/')[0]!;
    expect(first.get('due_by')).toBe('2026-04-01');
    expect(first.get('state')).toBe('confirmed');
    expect(first.has('due_by_junk')).toBe(false);

    closeTag('filter-tag-due_by');
    await waitFor(() => expect(screen.queryByTestId('filter-tag-due_by')).toBeNull());
    await waitFor(() => {
      const last = queryOf(calls, '/api/supply/purchase-orders/').at(-1)!;
      expect(last.has('due_by')).toBe(false);
      expect(last.get('state')).toBe('confirmed');
    });
  });

  it('purchase orders: a due_by that is not a day is not sent', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: SUPPLY_ME },
      'GET /api/supply/purchase-orders/': { body: empty },
    });
    renderApp('/supply/purchase-orders?due_by=next-week');
    await waitFor(() => expect(queryOf(calls, '/api/supply/purchase-orders/')).not.toHaveLength(0));
    expect(queryOf(calls, '/api/supply/purchase-orders/')[0]!.has('due_by')).toBe(false);
    expect(screen.queryByTestId('filter-tag-due_by')).toBeNull();
  });

  it('stock: ?available_at_most= asks for low stock, shows it, and keeps it on search', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: SUPPLY_ME },
      'GET /api/supply/warehouses/': { body: empty },
      'GET /api/supply/stock-items/': { body: empty },
      'GET /api/supply/stock/': { body: { ...empty, total_value: null } },
    });
    renderApp('/supply/stock?available_at_most=10');
    expect(await screen.findByTestId('filter-tag-available_at_most')).toHaveTextContent('≤ 10');
    await waitFor(() => expect(queryOf(calls, '/api/supply/stock/')).not.toHaveLength(0));
    const first = queryOf(calls, '/api/supply/stock/')[0]!;
    expect(first.get('available_at_most')).toBe('10');
    expect(first.get('in_stock')).toBe('true');

    fireEvent.click(screen.getByTestId('stock-search'));
    await waitFor(() => expect(screen.getByTestId('filter-tag-available_at_most')).toBeVisible());

    closeTag('filter-tag-available_at_most');
    await waitFor(() => {
      const last = queryOf(calls, '/api/supply/stock/').at(-1)!;
      expect(last.has('available_at_most')).toBe(false);
    });
  });

  it('stock: ?expiring_before= fills the date field and asks for those lots', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: SUPPLY_ME },
      'GET /api/supply/warehouses/': { body: empty },
      'GET /api/supply/stock-items/': { body: empty },
      'GET /api/supply/stock/': { body: { ...empty, total_value: null } },
    });
    renderApp('/supply/stock?expiring_before=2026-04-15');
    expect(await screen.findByDisplayValue('2026-04-15')).toBeInTheDocument();
    await waitFor(() => expect(queryOf(calls, '/api/supply/stock/')).not.toHaveLength(0));
    expect(queryOf(calls, '/api/supply/stock/')[0]!.get('expiring_before')).toBe('2026-04-15');
  });
});
