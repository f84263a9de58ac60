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
};

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
      'GET /api/selection/picks/': { body: page([PICK]) },
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

  it('keeps brands out of the anchor desk', async () => {
    mockApi({ 'GET /api/auth/me/': { body: BRAND_ME } });
    renderApp('/selection/anchor/picks');
    expect(await screen.findByTestId('forbidden')).toBeInTheDocument();
  });
});
