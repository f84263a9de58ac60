import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { mockApi, type Call } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';

const MCN_ME = {
  id: 4,
  username: 'mcn_owner',
  display_name: '',
  organization: { id: 14, name: '成都某 MCN', kind: 'mcn' },
  roles: ['owner'],
  home: 'mcn',
  language: 'zh-hans',
};
const money = (amount: string) => ({ amount, currency: 'CNY' });
const row = (id: number, name: string, city: string) => ({
  id,
  product_id: id * 10,
  name,
  spec: '500g',
  brand: { id: 5, name: '郫县某豆瓣厂' },
  category: { id: 21, name: '豆瓣酱' },
  origin_city: city,
  origin_county: '',
  is_geographic_indication: true,
  status: 'approved',
  retail_price: money('19.90'),
  commission_bps: 2000,
  estimated_earnings: money('3.98'),
  sales_30d: 1234,
  in_stock: true,
  plan_type: 'open',
  cover_image: '',
  listed_at: '2026-01-01T00:00:00Z',
});

function query(call: Call) {
  return new URL(call.path, 'http://x').searchParams;
}

describe('selection center', () => {
  it('searches, shows facet counts, pages by cursor, filters and opens a product', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: MCN_ME },
      'GET /api/catalog/selection/': (call) => {
        const q = query(call);
        if (q.get('origin_city') === '成都市') {
          return { body: { results: [row(1, '郫县豆瓣 一级 500g', '成都市')], next: null } };
        }
        if (q.get('cursor') === 'c2') {
          return { body: { results: [row(3, '豆瓣鱼调料', '乐山市')], next: null } };
        }
        return {
          body: {
            results: [row(1, '郫县豆瓣 一级 500g', '成都市'), row(2, '红油豆瓣', '眉山市')],
            next: 'c2',
          },
        };
      },
      'GET /api/catalog/selection/facets/': (call) => ({
        body: {
          category: [{ id: 21, name: '豆瓣酱', count: query(call).get('origin_city') ? 1 : 3 }],
          origin_city: query(call).get('origin_city')
            ? [{ value: '成都市', count: 1 }]
            : [
                { value: '成都市', count: 1 },
                { value: '眉山市', count: 1 },
                { value: '乐山市', count: 1 },
              ],
          brand: [{ id: 5, name: '郫县某豆瓣厂', count: 3 }],
          price_band: [{ value: '0-50', count: 3 }],
          total: query(call).get('origin_city') ? 1 : 1234,
        },
      }),
      'GET /api/catalog/selection/1/': {
        body: {
          id: 10,
          brand: { id: 5, name: '郫县某豆瓣厂' },
          category: { id: 21, code: 'condiment.doubanjiang', name: '豆瓣酱', parent: 3 },
          name: '郫县豆瓣 一级 500g',
          description: '翻晒发酵',
          selling_points: ['三年陈酿'],
          origin_city: '成都市',
          origin_county: '郫都区',
          is_geographic_indication: true,
          shelf_life_days: 540,
          ship_from: '成都仓',
          status: 'approved',
          first_approved_at: '2026-01-01T00:00:00Z',
          created_at: '2026-01-01T00:00:00Z',
          skus: [
            {
              id: 1,
              code: 'PX-1',
              spec: '500g',
              retail_price: money('19.90'),
              min_live_price: money('15.90'),
              max_live_price: money('19.90'),
            },
          ],
          images: [],
        },
      },
    });
    renderApp('/selection?q=豆瓣');
    const results = await screen.findByTestId('selection-results');
    expect(await within(results).findByText('红油豆瓣')).toBeInTheDocument();
    expect(await screen.findByTestId('result-total')).toHaveTextContent('共 1,234 件商品');
    const first = calls.find((c) => c.path.startsWith('/api/catalog/selection/?'));
    expect(query(first as Call).get('q')).toBe('豆瓣');

    // Facet counts next to the options.
    const origins = await screen.findByTestId('facet-origin');
    await waitFor(() =>
      expect(within(origins).getByTestId('facet-origin-眉山市')).toHaveTextContent('眉山市1'),
    );
    expect(screen.getByTestId('facet-category-21')).toHaveTextContent('豆瓣酱3');

    // No IntersectionObserver in jsdom: the button loads the next page with the cursor.
    await userEvent.click(screen.getByTestId('load-more'));
    expect(await within(results).findByText('豆瓣鱼调料')).toBeInTheDocument();
    expect(calls.some((c) => query(c).get('cursor') === 'c2')).toBe(true);
    expect(await screen.findByTestId('no-more')).toHaveTextContent('没有更多了');

    // A facet filters the results and the counts.
    await userEvent.click(within(origins).getByTestId('facet-origin-成都市'));
    await waitFor(() => expect(within(results).queryByText('红油豆瓣')).toBeNull());
    await waitFor(() =>
      expect(screen.getByTestId('facet-category-21')).toHaveTextContent('豆瓣酱1'),
    );

    // The detail drawer: retail and live prices, no supply price.
    await userEvent.click(within(results).getByText('郫县豆瓣 一级 500g'));
    const detail = await screen.findByTestId('product-detail');
    expect(within(detail).getByTestId('detail-origin')).toHaveTextContent('成都市 郫都区');
    expect(within(detail).getAllByText('¥15.90').length).toBeGreaterThan(0);
    expect(within(detail).queryByText('供货价')).toBeNull();
  });
});
