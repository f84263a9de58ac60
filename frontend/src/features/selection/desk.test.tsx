import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
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
const future = new Date(Date.now() + 2 * 86400_000).toISOString();

const SAMPLE = {
  id: 41,
  anchor: 3,
  anchor_name: '蜀中小满',
  sku: 11,
  sku_code: 'XFJ-52-500',
  product: 5,
  product_name: '52度浓香型白酒 500ml',
  brand: 10,
  platform: 'douyin',
  quantity: 1,
  ship_to: '成都市武侯区',
  note: '',
  state: 'pending',
  created_at: '2026-11-25T01:00:00Z',
  decide_by: future,
  decided_at: null,
  reason: '',
  cost: null,
  content_due_at: null,
  extension_count: 0,
  extension_reason: '',
  content_kind: '',
  content_url: '',
  content_recorded_at: null,
  hold: null,
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
  ads_rate_bps: 2600,
  frozen_at: '2026-11-25T01:00:00Z',
  application: null,
  note: 'demo',
  created_at: '2026-11-25T01:00:00Z',
  removed_at: null,
  sample: null as unknown,
};

const RULE = {
  min_fans: 200000,
  platforms: ['douyin', 'xiaohongshu'],
  monthly_cap_per_anchor: 2,
  max_quantity: 2,
  decision_days: 3,
  content_days: 14,
  extension_days: 7,
  shipping_cost: money('12.00'),
};
const fansBelow = {
  code: 'fans_below_minimum',
  message: '粉丝 120000 少于要求的 200000 / 120000 fans, the sample rule requires 200000',
};
const notAccepted = {
  code: 'platform_not_accepted',
  message: '只接受 douyin/xiaohongshu 平台 / only douyin, xiaohongshu',
};
const capReached = {
  code: 'monthly_cap',
  message: '本月已申请 2 次，达到上限 2 / monthly cap of 2 reached',
};
/** The eligibility the pick list embeds: `open` platforms eligible, the others refused. */
function eligibility(open: string[], extra: Partial<Record<string, unknown>> = {}) {
  return {
    anchor: 3,
    product: 5,
    takes_samples: true,
    rule: RULE,
    month: '2026-11',
    used: 1,
    left: 1,
    eligible: open.length > 0,
    reasons: [],
    platforms: ['douyin', 'kuaishou', 'taobao', 'wechat', 'xiaohongshu'].map((platform) => ({
      platform,
      eligible: open.includes(platform),
      reasons: open.includes(platform)
        ? []
        : [RULE.platforms.includes(platform) ? fansBelow : notAccepted],
    })),
    ship_to: '成都市武侯区天府大道北段 1700 号 熊猫星选 收',
    ...extra,
  };
}
const ALL_PLATFORMS = ['douyin', 'kuaishou', 'taobao', 'wechat', 'xiaohongshu'];

describe('selection desks', () => {
  it('lets a brand approve a pending sample request and reject one with a reason', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'GET /api/selection/samples/': { body: page([SAMPLE, { ...SAMPLE, id: 42 }]) },
      'POST /api/selection/samples/41/approve/': {
        body: { ...SAMPLE, state: 'approved', cost: money('167.00'), content_due_at: future },
      },
      'POST /api/selection/samples/42/reject/': {
        body: { ...SAMPLE, id: 42, state: 'rejected', reason: '名额已满' },
      },
    });
    renderApp('/selection/brand/samples');
    const row = await screen.findByTestId('sample-row-41');
    expect(within(row).getByText('蜀中小满')).toBeInTheDocument();
    expect(within(row).getByTestId('state-pending')).toHaveTextContent('待审核');
    expect(within(row).getByTestId('sample-deadline')).toHaveTextContent('审核截止');

    await user.click(within(row).getByTestId('sample-approve-41'));
    await user.click(await screen.findByRole('button', { name: '确 定' }));
    await waitFor(() =>
      expect(calls.some((c) => c.method === 'POST' && c.path.endsWith('/41/approve/'))).toBe(true),
    );

    await user.click(within(screen.getByTestId('sample-row-42')).getByTestId('sample-reject-42'));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: '拒 绝' }));
    expect(await within(dialog).findByText('请填写原因')).toBeInTheDocument();
    await user.type(within(dialog).getByTestId('reject-reason'), '名额已满');
    await user.click(within(dialog).getByRole('button', { name: '拒 绝' }));
    await waitFor(() => {
      const reject = calls.find((c) => c.path.endsWith('/42/reject/'));
      expect(reject && JSON.parse(reject.body ?? '{}')).toEqual({ reason: '名额已满' });
    });
  });

  it('lets a brand ship an approved sample it holds itself, and names the warehouse otherwise', async () => {
    const user = userEvent.setup();
    const approved = {
      ...SAMPLE,
      state: 'approved',
      content_due_at: future,
      cost: money('167.00'),
    };
    const hold = { id: 5, quantity: 1, state: 'active', supply_reservation: null };
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'GET /api/selection/samples/': {
        body: page([
          { ...approved, hold },
          { ...approved, id: 42, hold: { ...hold, id: 6, supply_reservation: 90 } },
          { ...approved, id: 43, hold: { ...hold, id: 7, state: 'released' } },
        ]),
      },
      'POST /api/selection/samples/41/ship/': {
        body: { ...approved, hold: { ...hold, state: 'released' } },
      },
    });
    renderApp('/selection/brand/samples');
    const row = await screen.findByTestId('sample-row-41');
    expect(
      within(screen.getByTestId('sample-row-42')).getByTestId('sample-warehouse-42'),
    ).toHaveTextContent('由平台仓库发出');
    expect(
      within(screen.getByTestId('sample-row-43')).getByTestId('sample-shipped-43'),
    ).toHaveTextContent('已寄出');
    expect(
      within(screen.getByTestId('sample-row-42')).queryByRole('button', { name: '寄 出' }),
    ).toBeNull();

    await user.click(within(row).getByTestId('sample-ship-41'));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: '寄 出' }));
    expect(await within(dialog).findByText('请填写承运商')).toBeInTheDocument();
    expect(within(dialog).getByText('请填写运单号')).toBeInTheDocument();
    expect(calls.some((c) => c.path.endsWith('/ship/'))).toBe(false);
    await user.type(within(dialog).getByTestId('sample-carrier'), ' 顺丰 ');
    await user.type(within(dialog).getByTestId('sample-tracking'), 'SF1234567890');
    await user.click(within(dialog).getByRole('button', { name: '寄 出' }));
    await waitFor(() => {
      const ship = calls.find((c) => c.method === 'POST' && c.path.endsWith('/41/ship/'));
      expect(ship && JSON.parse(ship.body ?? '{}')).toEqual({
        carrier: '顺丰',
        tracking_number: 'SF1234567890',
      });
    });
  });

  it('shows an anchor the frozen rate and names the field of an eligibility error', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: ANCHOR_ME },
      'GET /api/catalog/selection/': {
        body: { results: [{ id: 11 }], next: null },
      },
      'GET /api/selection/picks/quote/': {
        body: [
          {
            anchor_id: 3,
            sku_id: 11,
            at: '2026-11-25T01:00:00Z',
            ads: false,
            rate_bps: 3200,
            plan_id: 28,
            plan_type: 'exclusive',
            version_id: 40,
            tier_min_gmv_minor: null,
            month_gmv_minor: 0,
            can_apply_plan_id: null,
            pending_application_id: null,
            reasons: [],
            considered: [],
          },
        ],
      },
      'GET /api/parties/anchors/': { body: page([{ id: 3, name: '蜀中小满' }]) },
      'GET /api/selection/picks/': {
        body: page([{ ...PICK, sample: eligibility(ALL_PLATFORMS, { ship_to: '' }) }]),
      },
      'POST /api/selection/samples/': {
        status: 400,
        body: {
          detail: '没有 taobao 平台账号 / no account on taobao',
          code: 'platform',
          errors: { platform: ['没有 taobao 平台账号 / no account on taobao'] },
        },
      },
    });
    renderApp('/selection/anchor/picks');
    expect(await screen.findByTestId('pick-rate-7')).toHaveTextContent('32.00%');
    expect(screen.getByText('专属计划')).toBeInTheDocument();

    await user.click(screen.getByTestId('pick-sample-XFJ-52-500'));
    await user.click(await screen.findByLabelText('淘宝'));
    await user.type(screen.getByTestId('sample-ship-to'), '成都市武侯区');
    await user.click(screen.getByTestId('sample-submit'));
    const error = await screen.findByTestId('sample-error');
    expect(error).toHaveTextContent('平台：没有 taobao 平台账号');
    const sent = calls.find((c) => c.method === 'POST' && c.path === '/api/selection/samples/');
    expect(JSON.parse(sent?.body ?? '{}')).toEqual({
      anchor: 3,
      sku: 11,
      platform: 'taobao',
      quantity: 1,
      ship_to: '成都市武侯区',
    });
  });

  it('shows the rule and the cap left before the form, and starts the form from the last address', async () => {
    const user = userEvent.setup();
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: ANCHOR_ME },
      'GET /api/parties/anchors/': { body: page([{ id: 3, name: '蜀中小满' }]) },
      'GET /api/selection/picks/': {
        body: page([{ ...PICK, sample: eligibility(['xiaohongshu']) }]),
      },
      'POST /api/selection/samples/': { status: 201, body: SAMPLE },
    });
    renderApp('/selection/anchor/picks');
    const info = await screen.findByTestId('pick-sample-info-XFJ-52-500');
    expect(info).toHaveTextContent('本月还可申请 1 次');
    expect(info).toHaveTextContent('粉丝 ≥ 200,000 · 平台：抖音 / 小红书 · 每月 2 次');
    const button = screen.getByTestId('pick-sample-XFJ-52-500');
    expect(button).toBeEnabled();

    await user.click(button);
    const dialog = await screen.findByTestId('sample-modal');
    expect(within(dialog).getByTestId('sample-left')).toHaveTextContent('本月还可申请 1 次');
    expect(within(dialog).getByTestId('sample-rule')).toHaveTextContent(
      '本月已申请 1 次，上限 2 次 · 每次最多 2 件',
    );
    expect(within(dialog).getByTestId('sample-rule')).toHaveTextContent('运费 ¥12.00 计入样品成本');
    // Only xiaohongshu is open: the form starts there; douyin is closed, saying why.
    expect(within(dialog).getByLabelText('小红书')).toBeChecked();
    expect(within(dialog).getByLabelText('抖音')).toBeDisabled();
    expect(within(dialog).getByTestId('sample-platform-closed')).toHaveTextContent(
      '抖音：粉丝 120000 少于要求的 200000',
    );
    const address = within(dialog).getByTestId('sample-ship-to');
    expect(address).toHaveValue('成都市武侯区天府大道北段 1700 号 熊猫星选 收');
    // Still editable.
    await user.clear(address);
    await user.type(address, '成都市锦江区春熙路 9 号');
    await user.click(screen.getByTestId('sample-submit'));
    await waitFor(() => {
      const sent = calls.find((c) => c.method === 'POST' && c.path === '/api/selection/samples/');
      expect(JSON.parse(sent?.body ?? '{}')).toEqual({
        anchor: 3,
        sku: 11,
        platform: 'xiaohongshu',
        quantity: 1,
        ship_to: '成都市锦江区春熙路 9 号',
      });
    });
  });

  it('disables 申请寄样 with the reasons when the cap is reached, and offers none without a rule', async () => {
    mockApi({
      'GET /api/auth/me/': { body: ANCHOR_ME },
      'GET /api/parties/anchors/': { body: page([{ id: 3, name: '蜀中小满' }]) },
      'GET /api/selection/picks/': {
        body: page([
          {
            ...PICK,
            sample: {
              ...eligibility([]),
              used: 2,
              left: 0,
              reasons: [capReached],
              platforms: ALL_PLATFORMS.map((platform) => ({
                platform,
                eligible: false,
                reasons: [capReached],
              })),
            },
          },
          {
            ...PICK,
            id: 8,
            sku: 12,
            sku_code: 'XFJ-52-250',
            product: 6,
            sample: {
              ...eligibility([]),
              product: 6,
              takes_samples: false,
              rule: null,
              left: 0,
              used: 0,
              reasons: [{ code: 'no_sample_rule', message: '该商品不接受寄样申请 / no samples' }],
            },
          },
        ]),
      },
    });
    renderApp('/selection/anchor/picks');
    const capped = await screen.findByTestId('pick-sample-XFJ-52-500');
    expect(capped).toBeDisabled();
    const info = screen.getByTestId('pick-sample-info-XFJ-52-500');
    expect(info).toHaveTextContent('本月还可申请 0 次');
    expect(info).toHaveTextContent('本月已申请 2 次，达到上限 2');
    expect(screen.queryByTestId('pick-sample-XFJ-52-250')).toBeNull();
    expect(screen.getByTestId('pick-sample-info-XFJ-52-250')).toHaveTextContent('不接受寄样');
  });

  it('keeps brands out of the anchor desk', async () => {
    mockApi({ 'GET /api/auth/me/': { body: BRAND_ME } });
    renderApp('/selection/anchor/picks');
    expect(await screen.findByTestId('forbidden')).toBeInTheDocument();
  });
});
