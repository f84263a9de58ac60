import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import i18n from '@/i18n';
import { mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';
import { NS, type CatalogT } from './i18n';
import { ImportResult } from './ImportResult';

const translate = i18n.t.bind(i18n) as unknown as (
  key: string,
  options: Record<string, unknown>,
) => string;
const zhT: CatalogT = (key, options) => translate(key, { ...options, ns: NS, lng: 'zh' });

const BRAND_ME = {
  id: 1,
  username: 'brand_tea',
  display_name: '高雪梅',
  organization: { id: 3, name: '雅安蒙顶云雾茶业有限公司', kind: 'brand' },
  roles: ['owner'],
  home: 'brand',
  language: 'zh-hans',
};
const REVIEWER_ME = {
  id: 9,
  username: 'op_reviewer',
  display_name: '产品审核 陈刚',
  organization: { id: 1, name: '四川蜀选供应链管理有限公司', kind: 'operator' },
  roles: ['reviewer'],
  home: 'operator',
  language: 'zh-hans',
};
const money = (amount: string) => ({ amount, currency: 'CNY' });
const page = <T,>(results: T[]) => ({ count: results.length, next: null, previous: null, results });
const product = (over: Record<string, unknown> = {}) => ({
  id: 7,
  brand: { id: 3, name: '雅安蒙顶云雾茶业有限公司' },
  category: { id: 11, code: 'tea.green', name: '绿茶', parent: 2 },
  name: '蒙顶甘露 特级 100g',
  description: '',
  selling_points: [],
  origin_city: '雅安市',
  origin_county: '名山区',
  is_geographic_indication: false,
  shelf_life_days: null,
  ship_from: '',
  status: 'rejected',
  rejection_reason: '产地证明材料不全',
  first_approved_at: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-02T00:00:00Z',
  skus: [
    {
      id: 70,
      product: 7,
      code: 'MD-1',
      spec: '100g',
      supply_price: money('88.00'),
      retail_price: money('168.00'),
      min_live_price: money('128.00'),
      max_live_price: money('168.00'),
      created_at: '2026-01-01T00:00:00Z',
    },
  ],
  images: [],
  ...over,
});

describe('ImportResult', () => {
  it('shows the counts of a good import', () => {
    render(
      <ImportResult
        t={zhT}
        filename="products.csv"
        outcome={{
          kind: 'imported',
          report: { created: 3, updated: 1, unchanged: 2, rejected: [] },
        }}
      />,
    );
    expect(screen.getByText('导入完成：products.csv')).toBeInTheDocument();
    expect(within(screen.getByTestId('import-created')).getByText('3')).toBeInTheDocument();
    expect(within(screen.getByTestId('import-updated')).getByText('1')).toBeInTheDocument();
    expect(within(screen.getByTestId('import-unchanged')).getByText('2')).toBeInTheDocument();
    expect(screen.queryByTestId('import-rejections')).toBeNull();
  });

  it('lists a refused file line by line, sorted', () => {
    render(
      <ImportResult
        t={zhT}
        filename="bad.xlsx"
        outcome={{
          kind: 'refused',
          report: {
            created: 0,
            updated: 0,
            unchanged: 0,
            rejected: [
              { line: 5, field: 'origin_city', reason: '北京市 不是四川省的市州' },
              { line: 2, field: 'retail_price', reason: "'abc' 不是金额" },
            ],
          },
        }}
      />,
    );
    expect(screen.getByText('文件被拒绝，未写入任何数据：bad.xlsx')).toBeInTheDocument();
    const rows = within(screen.getByTestId('import-rejections')).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      "2retail_price'abc' 不是金额",
      '5origin_city北京市 不是四川省的市州',
    ]);
    expect(screen.queryByTestId('import-counts')).toBeNull();
  });

  it('shows why an unreadable file was refused', () => {
    render(
      <ImportResult
        t={zhT}
        filename="x.txt"
        outcome={{ kind: 'unreadable', message: '缺少列 / missing columns: spec' }}
      />,
    );
    expect(screen.getByText('缺少列 / missing columns: spec')).toBeInTheDocument();
  });
});

describe('catalog pages', () => {
  it("lists the brand's products with the rejection reason and a status filter", async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'GET /api/catalog/products/': { body: page([product()]) },
    });
    renderApp('/catalog/products');
    const table = await screen.findByTestId('products-table');
    expect(await within(table).findByText('蒙顶甘露 特级 100g')).toBeInTheDocument();
    expect(within(table).getByText('已驳回')).toBeInTheDocument();
    expect(within(table).getByTestId('rejection-7')).toHaveTextContent('产地证明材料不全');
    await userEvent.click(screen.getByText('待审核'));
    await screen.findByTestId('products-table');
    expect(calls.some((c) => c.path.includes('status=submitted'))).toBe(true);
  });

  it('does not say 还没有商品 while the list is still loading', async () => {
    let release: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      release = resolve;
    });
    mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'GET /api/catalog/products/': async () => {
        await answered;
        return { body: page([]) };
      },
    });
    renderApp('/catalog/products');
    const table = await screen.findByTestId('products-table');
    expect(within(table).queryByText('还没有商品')).not.toBeInTheDocument();
    release();
    expect(await within(table).findByText('还没有商品')).toBeInTheDocument();
  });

  it('lets a reviewer reject a submitted product with a reason', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: REVIEWER_ME },
      'GET /api/catalog/reviews/': {
        body: page([product({ status: 'submitted', rejection_reason: '', decisions: [] })]),
      },
      'POST /api/catalog/reviews/7/reject/': {
        body: product({ status: 'rejected', rejection_reason: '图片不清晰', decisions: [] }),
      },
    });
    renderApp('/catalog');
    const table = await screen.findByTestId('reviews-table');
    expect(await within(table).findByText('蒙顶甘露 特级 100g')).toBeInTheDocument();
    await userEvent.click(within(table).getByTestId('reject-7'));
    await userEvent.type(await screen.findByTestId('reject-reason'), '图片不清晰');
    await userEvent.click(screen.getByTestId('reject-confirm'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.path).toBe('/api/catalog/reviews/7/reject/');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({ reason: '图片不清晰' });
  });

  it('polls a product file sent to the background, then shows the counts as for a small one', async () => {
    const job = {
      id: 5,
      filename: 'big.csv',
      sha256: 'cd'.repeat(32),
      uploaded_by: 'brand_jiu',
      rows_total: 4000,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: [],
      error: '',
      created_at: '2026-11-25T02:00:00Z',
      started_at: null,
      finished_at: null,
    };
    const answers = [
      { ...job, status: 'running', rows_done: 1000, progress: 0.25 },
      { ...job, status: 'done', rows_done: 4000, progress: 1, created: 3990, updated: 10 },
    ];
    let polls = 0;
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'POST /api/catalog/products/import/': {
        status: 202,
        body: { ...job, status: 'queued', rows_done: 0, progress: 0 },
      },
      'GET /api/catalog/product-imports/5/': () => ({
        body: answers[Math.min(polls++, answers.length - 1)],
      }),
    });
    const { container } = renderApp('/catalog/import');
    await screen.findByTestId('import-page');
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    await userEvent.upload(input, new File(['a,b'], 'big.csv', { type: 'text/csv' }));
    const progress = await screen.findByTestId('import-progress');
    await waitFor(() => expect(progress).toHaveAttribute('data-status', 'running'));
    expect(within(progress).getByTestId('import-status')).toHaveTextContent('导入中');
    expect(within(progress).getByTestId('import-rows')).toHaveTextContent(
      '已检查 1,000 / 4,000 行',
    );
    expect(within(progress).getByText('25%')).toBeInTheDocument();
    expect(screen.queryByTestId('import-imported')).toBeNull();
    await waitFor(() => expect(progress).toHaveAttribute('data-status', 'done'), { timeout: 4000 });
    expect(within(progress).getByTestId('import-status')).toHaveTextContent('已完成');
    expect(within(screen.getByTestId('import-created')).getByText('3,990')).toBeInTheDocument();
    expect(within(screen.getByTestId('import-updated')).getByText('10')).toBeInTheDocument();
    const asked = calls.filter((c) => c.path === '/api/catalog/product-imports/5/').length;
    expect(asked).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1800));
    expect(calls.filter((c) => c.path === '/api/catalog/product-imports/5/').length).toBe(asked);
  });

  it('shows the rejected rows of a background import that failed', async () => {
    mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'POST /api/catalog/products/import/': {
        status: 202,
        body: {
          id: 6,
          filename: 'bad.csv',
          status: 'queued',
          rows_total: 3000,
          rows_done: 0,
          progress: 0,
          created: 0,
          updated: 0,
          unchanged: 0,
          rejected: [],
          error: '',
        },
      },
      'GET /api/catalog/product-imports/6/': {
        body: {
          id: 6,
          filename: 'bad.csv',
          status: 'failed',
          rows_total: 3000,
          rows_done: 3000,
          progress: 1,
          created: 0,
          updated: 0,
          unchanged: 0,
          rejected: [
            { line: 1203, field: 'supply_price', reason: '十八 不是金额 / not an amount' },
          ],
          error: '1 处错误，整个文件未导入 / 1 problems; nothing was imported',
        },
      },
    });
    const { container } = renderApp('/catalog/import');
    await screen.findByTestId('import-page');
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    await userEvent.upload(input, new File(['a,b'], 'bad.csv', { type: 'text/csv' }));
    const refused = await screen.findByTestId('import-refused');
    expect(within(refused).getByText('1203')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('import-progress')).getByTestId('import-status'),
    ).toHaveTextContent('失败');
  });
});
