import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, onTestFinished } from 'vitest';
import { setLanguage } from '@/i18n';
import { BRAND_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';

const ANCHOR_ME = {
  id: 21,
  username: 'anchor_xiaoman',
  display_name: '蜀中小满',
  organization: { id: 14, name: '成都熊猫星选文化传媒有限公司', kind: 'mcn' },
  roles: ['staff'],
  home: 'mcn',
  language: 'zh-hans',
};
const money = (amount: string) => ({ amount, currency: 'CNY' });
const page = <T,>(results: T[]) => ({ count: results.length, next: null, previous: null, results });

const PRODUCTS = [
  {
    id: 5,
    name: '52度浓香型白酒 500ml',
    status: 'approved',
    skus: [{ id: 11, code: 'XFJ-52-500', spec: '500ml×1瓶' }],
  },
  {
    id: 6,
    name: '宜宾芽菜 200g',
    status: 'approved',
    skus: [{ id: 12, code: 'YC-200', spec: '200g' }],
  },
];
const RULE = {
  id: 5,
  product: 5,
  product_name: '52度浓香型白酒 500ml',
  is_active: true,
  min_fans: 100000,
  platforms: ['douyin'],
  monthly_cap_per_anchor: 1,
  max_quantity: 2,
  decision_days: 3,
  content_days: 14,
  extension_days: 7,
  shipping_cost_minor: 1200,
  shipping_cost: money('12.00'),
  updated_at: '2026-11-20T02:00:00Z',
};

describe('brand sample rules', () => {
  it('lists products with their rule or none, and puts an API error on the field', async () => {
    const user = userEvent.setup();
    let posts = 0;
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'GET /api/catalog/products/': { body: page(PRODUCTS) },
      'GET /api/selection/sample-rules/': { body: page([RULE]) },
      'POST /api/selection/sample-rules/': () =>
        ++posts === 1
          ? {
              status: 400,
              body: {
                detail: '须在 1–365 之间 / must be within 1–365',
                code: 'invalid',
                errors: { decision_days: ['须在 1–365 之间 / must be within 1–365'] },
              },
            }
          : {
              status: 201,
              body: {
                ...RULE,
                id: 6,
                product: 6,
                product_name: '宜宾芽菜 200g',
                decision_days: 2,
              },
            },
    });
    renderApp('/selection/brand/sample-rules');
    const ruled = await screen.findByTestId('rule-row-5');
    expect(within(ruled).getByTestId('rule-active')).toHaveTextContent('接受寄样');
    expect(within(ruled).getByText(/粉丝 ≥/)).toBeInTheDocument();
    const bare = screen.getByTestId('rule-row-6');
    expect(within(bare).getByTestId('rule-none')).toHaveTextContent('未设置');

    await user.click(within(bare).getByTestId('rule-edit-6'));
    const drawer = await screen.findByTestId('rule-drawer');
    // A new rule starts from the backend's defaults.
    expect(within(drawer).getByTestId('rule-decision-days')).toHaveValue('3');
    await user.clear(within(drawer).getByTestId('rule-decision-days'));
    await user.type(within(drawer).getByTestId('rule-decision-days'), '2');
    await user.clear(within(drawer).getByTestId('rule-shipping'));
    await user.type(within(drawer).getByTestId('rule-shipping'), '8.5');
    await user.click(within(drawer).getByTestId('rule-submit'));

    // The backend's message lands under the field and in the alert naming it.
    expect(await within(drawer).findByTestId('rule-error')).toHaveTextContent(
      '审核期限：须在 1–365 之间',
    );
    await waitFor(() =>
      expect(
        within(drawer).getByTestId('rule-decision-days').closest('.ant-form-item'),
      ).toHaveTextContent('须在 1–365 之间'),
    );
    const sent = calls.find((c) => c.method === 'POST');
    expect(JSON.parse(sent?.body ?? '{}')).toEqual({
      product: 6,
      is_active: true,
      platforms: [],
      min_fans: 0,
      monthly_cap_per_anchor: 1,
      max_quantity: 2,
      decision_days: 2,
      content_days: 14,
      extension_days: 7,
      shipping_cost_minor: 850,
    });

    await user.click(within(drawer).getByTestId('rule-submit'));
    await waitFor(() => expect(screen.queryByTestId('rule-drawer')).not.toBeInTheDocument());
    expect(posts).toBe(2);
  });
});

const SESSION = {
  id: 31,
  anchor: 3,
  anchor_name: '蜀中小满',
  mcn: 14,
  platform: 'douyin',
  title: '小满川味专场',
  starts_at: new Date(Date.now() + 2 * 86400_000).toISOString(),
  ends_at: new Date(Date.now() + 2 * 86400_000 + 3 * 3600_000).toISOString(),
  state: 'scheduled',
  cancelled_at: null,
  cancel_reason: '',
  items: [
    {
      id: 90,
      pick: 7,
      sku: 11,
      sku_code: 'XFJ-52-500',
      product_name: '52度浓香型白酒 500ml',
      brand: 10,
      position: 0,
      live_price: money('269.00'),
      stock_quantity: 20,
      held: { quantity: 20, state: 'active' },
      slot_fee: null,
    },
  ],
  created_at: '2026-11-20T02:00:00Z',
};
const PICK = {
  id: 7,
  anchor: 3,
  anchor_name: '蜀中小满',
  sku: 11,
  sku_code: 'XFJ-52-500',
  spec: '500ml×1瓶',
  product: 5,
  product_name: '52度浓香型白酒 500ml',
  brand: 10,
  brand_name: '宜宾叙府窖酒业有限公司',
  retail_price: money('299.00'),
  mcn: 14,
  state: 'active',
  plan: 28,
  version: 40,
  plan_type: 'exclusive',
  rate_bps: 3200,
  ads_rate_bps: null,
  frozen_at: '2026-11-25T01:00:00Z',
  application: null,
  note: '',
  created_at: '2026-11-25T01:00:00Z',
  removed_at: null,
};
const ANCHOR_ROUTES = {
  'GET /api/auth/me/': { body: ANCHOR_ME },
  // An MCN login: the quote answers 404, so the desk lists the MCN's anchors.
  'GET /api/catalog/selection/': { body: { results: [{ id: 11 }], next: null } },
  'GET /api/selection/picks/quote/': { status: 404, body: { detail: 'not an anchor' } },
  'GET /api/parties/anchors/': { body: page([{ id: 3, name: '蜀中小满' }]) },
  'GET /api/selection/sessions/': { body: page([SESSION]) },
  'GET /api/selection/picks/': { body: page([PICK]) },
};

describe('anchor session edits', () => {
  it('edits a session prefilled, names the field of a stock error, then saves', async () => {
    const user = userEvent.setup();
    let patches = 0;
    const { calls } = mockApi({
      ...ANCHOR_ROUTES,
      'PATCH /api/selection/sessions/31/': () =>
        ++patches === 1
          ? {
              status: 400,
              body: {
                detail: '库存不足，无法预留 50 / not enough stock to hold 50 (XFJ-52-500)',
                code: 'insufficient_stock',
                errors: {
                  'lineup[0].stock_quantity': [
                    '库存不足，无法预留 50 / not enough stock to hold 50 (XFJ-52-500)',
                  ],
                },
              },
            }
          : { body: SESSION },
    });
    renderApp('/selection/anchor/sessions');
    await user.click(await screen.findByTestId('session-edit-31'));
    const drawer = await screen.findByTestId('session-drawer');
    expect(within(drawer).getByTestId('session-title')).toHaveValue('小满川味专场');
    const price = within(drawer).getByTestId('lineup-price-0');
    await waitFor(() => expect(price).toHaveValue('269.00'));
    await user.clear(price);
    await user.type(price, '259');
    await user.clear(within(drawer).getByTestId('lineup-stock-0'));
    await user.type(within(drawer).getByTestId('lineup-stock-0'), '50');
    await user.click(within(drawer).getByTestId('session-submit'));

    const error = await within(drawer).findByTestId('session-error');
    expect(error).toHaveTextContent('第 1 行 预留库存：库存不足，无法预留 50');
    await waitFor(() =>
      expect(
        within(drawer).getByTestId('lineup-stock-0').closest('.ant-form-item'),
      ).toHaveTextContent('库存不足'),
    );
    // Only the lineup changed: title and times are not sent.
    const first = calls.find((c) => c.method === 'PATCH');
    expect(JSON.parse(first?.body ?? '{}')).toEqual({
      lineup: [{ pick: 7, live_price_minor: 25900, stock_quantity: 50 }],
    });

    await user.clear(within(drawer).getByTestId('lineup-stock-0'));
    await user.type(within(drawer).getByTestId('lineup-stock-0'), '20');
    await user.click(within(drawer).getByTestId('session-submit'));
    await waitFor(() => expect(screen.queryByTestId('session-drawer')).not.toBeInTheDocument());
    const second = calls.filter((c) => c.method === 'PATCH')[1];
    expect(JSON.parse(second?.body ?? '{}')).toEqual({
      lineup: [{ pick: 7, live_price_minor: 25900, stock_quantity: 20 }],
    });
  });

  it("puts a live price error under the whole line, the SKU's range readable in English", async () => {
    const user = userEvent.setup();
    const range =
      "直播价须在该 SKU 的 ¥239.00–¥299.00 之间 / the live price must be within the SKU's ¥239.00–¥299.00";
    mockApi({
      ...ANCHOR_ROUTES,
      'GET /api/auth/me/': { body: { ...ANCHOR_ME, language: 'en' } },
      'PATCH /api/selection/sessions/31/': {
        status: 400,
        body: { detail: range, code: 'invalid', errors: { 'lineup[0].live_price_minor': [range] } },
      },
    });
    await setLanguage('en');
    onTestFinished(() => setLanguage('zh'));
    renderApp('/selection/anchor/sessions');
    await user.click(await screen.findByTestId('session-edit-31'));
    const drawer = await screen.findByTestId('session-drawer');
    const price = within(drawer).getByTestId('lineup-price-0');
    await waitFor(() => expect(price).toHaveValue('269.00'));
    await user.clear(price);
    await user.type(price, '199');
    await user.click(within(drawer).getByTestId('session-submit'));
    const below = await within(drawer).findByTestId('lineup-price-error-0');
    expect(below).toHaveTextContent("the live price must be within the SKU's ¥239.00–¥299.00");
    // Not squeezed into the price's own 120 px cell as well.
    expect(price.closest('.ant-form-item')).not.toHaveTextContent('must be within');
    expect(price.closest('.ant-form-item')).toHaveClass('ant-form-item-has-error');
  }, 60_000);

  it('shows a schedule conflict naming the start time', async () => {
    const user = userEvent.setup();
    mockApi({
      ...ANCHOR_ROUTES,
      'PATCH /api/selection/sessions/31/': {
        status: 409,
        body: {
          detail: '该主播此时段已有直播 / the anchor has another session at that time',
          code: 'overlap',
          errors: {
            starts_at: ['该主播此时段已有直播 / the anchor has another session at that time'],
          },
        },
      },
    });
    renderApp('/selection/anchor/sessions');
    await user.click(await screen.findByTestId('session-edit-31'));
    const drawer = await screen.findByTestId('session-drawer');
    const title = within(drawer).getByTestId('session-title');
    await user.clear(title);
    await user.type(title, '小满川味专场 加场');
    await user.click(within(drawer).getByTestId('session-submit'));
    const error = await within(drawer).findByTestId('session-error');
    expect(error).toHaveTextContent('排期冲突');
    expect(error).toHaveTextContent('开始时间：该主播此时段已有直播');
  });

  it('shows a session that has ended as ended, in Shanghai time, with no edit or cancel', async () => {
    const past = {
      ...SESSION,
      id: 32,
      starts_at: '2026-11-05T12:00:00Z',
      ends_at: '2026-11-05T15:00:00Z',
    };
    mockApi({ ...ANCHOR_ROUTES, 'GET /api/selection/sessions/': { body: page([past, SESSION]) } });
    renderApp('/selection/anchor/sessions');
    expect(await screen.findByTestId('session-edit-31')).toBeInTheDocument();
    expect(screen.getByTestId('session-cancel-31')).toBeInTheDocument();
    expect(screen.getByTestId('session-when-32')).toHaveTextContent('2026-11-05 20:00 – 23:00');
    const row = screen.getByTestId('session-when-32').closest('tr') as HTMLElement;
    expect(within(row).getByTestId('state-ended')).toHaveTextContent('已结束');
    expect(screen.queryByTestId('session-cancel-32')).not.toBeInTheDocument();
    expect(screen.queryByTestId('session-edit-32')).not.toBeInTheDocument();
  });

  it('cancels a session with a reason', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      ...ANCHOR_ROUTES,
      'POST /api/selection/sessions/31/cancel/': {
        body: { ...SESSION, state: 'cancelled', cancel_reason: '主播生病' },
      },
    });
    renderApp('/selection/anchor/sessions');
    await user.click(await screen.findByTestId('session-cancel-31'));
    const reason = await screen.findByTestId('session-cancel-reason');
    await user.type(reason, '主播生病');
    await user.click(screen.getByTestId('session-cancel-ok'));
    await waitFor(() => {
      const cancel = calls.find((c) => c.path.endsWith('/31/cancel/'));
      expect(cancel && JSON.parse(cancel.body ?? '{}')).toEqual({ reason: '主播生病' });
    });
  });
});
