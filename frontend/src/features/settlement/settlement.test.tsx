import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BRAND_ME, FINANCE_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';
import { yesterday } from './logic';

vi.mock('./EarningsChart', () => ({
  default: ({ data }: { data: { labels: string[] } }) => (
    <div data-testid="earnings-chart">{data.labels.join(',')}</div>
  ),
}));

/**
 * The confirmation of a money action: it shows the count and total and names the action; `before`
 * checks that nothing was sent while it waits; then it is confirmed.
 */
async function confirmMoney(
  testId: string,
  summary: string | null = null,
  action: string | null = null,
  before?: () => void,
) {
  const ok = await screen.findByTestId(`${testId}-ok`);
  const dialog = ok.closest('.ant-modal-container, .ant-modal-content, .ant-modal') as HTMLElement;
  if (summary !== null)
    expect(within(dialog).getByTestId(`${testId}-summary`)).toHaveTextContent(summary);
  if (action !== null) expect(dialog).toHaveTextContent(action);
  before?.();
  fireEvent.click(ok);
}

const page = <T,>(results: T[]) => ({ count: results.length, next: null, previous: null, results });
const money = (amount: string) => ({ amount, currency: 'CNY' });

const RUN = {
  id: 12,
  cutoff: '2026-11-24',
  state: 'running',
  lines_total: 200,
  lines_done: 50,
  lines_settled: 40,
  lines_clawed_back: 2,
  lines_problem: 0,
  chunks_done: 1,
  statements: 0,
  progress: 25,
  error: '',
  created_at: new Date().toISOString(),
  started_at: new Date().toISOString(),
  heartbeat_at: new Date().toISOString(),
  finished_at: null,
};

const STATEMENT = {
  id: 31,
  run: 12,
  cutoff: '2026-11-24',
  payee_kind: 'anchor',
  organization: null,
  anchor: 5,
  payee_name: '主播小满',
  currency: 'CNY',
  account_id: 77,
  opening: money('0.00'),
  earnings: money('1234.50'),
  clawbacks: money('-34.50'),
  other: money('0.00'),
  closing: money('1200.00'),
  at_source: money('88.00'),
  gross: money('0.00'),
  fees: money('0.00'),
  lines: 3,
  state: 'draft',
  approved_at: null,
  created_at: '2026-11-25T02:00:00Z',
};

describe('settlement runs', () => {
  it('starts a run for yesterday and follows it to done without a reload', async () => {
    let polls = 0;
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/runs/': () => {
        polls += 1;
        return {
          body: page([
            polls < 3
              ? RUN
              : {
                  ...RUN,
                  state: 'done',
                  lines_done: 200,
                  progress: 100,
                  statements: 4,
                  finished_at: '2026-11-25T02:01:00Z',
                },
          ]),
        };
      },
      'POST /api/settlement/runs/': { status: 201, body: { ...RUN, state: 'pending' } },
    });
    renderApp('/settlement');
    const row = await screen.findByTestId('run-row-12');
    expect(within(row).getByText('结算中')).toBeInTheDocument();
    expect(within(row).getByText('已处理 50 / 200')).toBeInTheDocument();
    expect(screen.getByTestId('run-cutoff').querySelector('input')).toHaveValue(yesterday());

    fireEvent.click(screen.getByTestId('run-start'));
    // A run posts to the ledger: it asks first, naming the cut-off, and posts nothing until confirmed.
    await confirmMoney('run-confirm', null, `截止 ${yesterday()}`);
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({ cutoff: yesterday() });

    // Polled: the same row reaches done, with its statements and export links.
    await waitFor(
      () => expect(screen.getByTestId('run-progress-12')).toHaveAttribute('data-state', 'done'),
      { timeout: 15_000 },
    );
    expect(screen.getByTestId('run-statements-12')).toHaveAttribute(
      'href',
      '/settlement/statements?run=12',
    );
    expect(screen.getByTestId('run-export-12-xlsx')).toHaveAttribute(
      'href',
      '/api/settlement/runs/12/export/?fmt=xlsx',
    );
  });

  it('says why a run cannot start', async () => {
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/runs/': { body: page([]) },
      'GET /api/settlement/problem-lines/': {
        body: page([
          {
            id: 77,
            platform: 'douyin',
            order_id: '6926',
            basis: money('59.90'),
            problem: '订单行无 SKU / the line has no SKU',
            frozen_at: '2026-11-25T02:00:00Z',
          },
        ]),
      },
      'POST /api/settlement/runs/': {
        status: 409,
        body: {
          detail: '结算批次 #12 仍在进行 / run #12 is still in progress',
          code: 'invalid',
          errors: { cutoff: ['结算批次 #12 仍在进行 / run #12 is still in progress'] },
        },
      },
    });
    renderApp('/settlement/runs');
    await screen.findByTestId('runs-table');
    const problems = await screen.findByTestId('problem-lines');
    expect(within(problems).getByText('订单行无 SKU')).toBeInTheDocument();
    expect(within(problems).getByText('¥59.90')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('run-start'));
    await confirmMoney('run-confirm');
    expect(await screen.findByTestId('run-start-error')).toHaveTextContent(
      '已有结算在进行中: 结算批次 #12 仍在进行',
    );
  });

  it('keeps the page from a brand and from operator staff without a finance role', async () => {
    mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'GET /api/settlement/earnings/': { body: [] },
    });
    renderApp('/settlement/runs');
    expect(await screen.findByTestId('forbidden')).toBeInTheDocument();
  });
});

describe('statements', () => {
  it('totals the page, approves the selected drafts and opens one with its ledger entries', async () => {
    const second = { ...STATEMENT, id: 32, payee_name: '宜宾某酒业', payee_kind: 'organization' };
    const approved = new Set<number>();
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/runs/': { body: page([{ ...RUN, state: 'done', progress: 100 }]) },
      'GET /api/settlement/statements/': () => ({
        body: page(
          [STATEMENT, second].map((s) =>
            approved.has(s.id) ? { ...s, state: 'approved', approved_by_name: '财务主管 杨帆' } : s,
          ),
        ),
      }),
      'GET /api/settlement/lines/901/phases/': {
        body: {
          line: 901,
          platform: 'douyin',
          order_id: '6921',
          full_basis: money('1500.00'),
          settled_basis: money('1500.00'),
          phases: [],
        },
      },
      'POST /api/settlement/statements/31/approve/': () => {
        approved.add(31);
        return { body: { ...STATEMENT, state: 'approved', approved_by_name: '财务主管 杨帆' } };
      },
      'POST /api/settlement/statements/32/approve/': () => {
        approved.add(32);
        return { body: { ...second, state: 'approved' } };
      },
      'GET /api/settlement/statements/31/': {
        body: {
          ...STATEMENT,
          by_leg: [
            { kind: 'anchor_commission', settled_by: 'operator', total: money('1200.00') },
            { kind: 'anchor_commission', settled_by: 'platform', total: money('88.00') },
          ],
          movements: [
            {
              entry_id: 7001,
              source_type: 'supply.receipt',
              label: '采购单 PO1 买断货款 / buy-out purchase order PO1',
              effective_date: '2026-11-20',
              amount: money('36080.00'),
            },
          ],
        },
      },
      'GET /api/settlement/statements/31/lines/': {
        body: page([
          {
            id: 1,
            line_id: 901,
            order_id: '6921',
            kind: 'anchor_commission',
            settled_by: 'operator',
            amount: money('1200.00'),
            entry_id: 4401,
          },
        ]),
      },
    });
    renderApp('/settlement/statements?run=12');
    const totals = await screen.findByTestId('statements-totals-CNY');
    expect(within(totals).getByText('¥2,469.00')).toBeInTheDocument();
    expect(within(totals).getByText('¥2,400.00')).toBeInTheDocument();
    expect(calls.find((c) => c.path.startsWith('/api/settlement/statements/?'))?.path).toContain(
      'run=12',
    );

    const table = screen.getByTestId('statements-table');
    const boxes = within(table).getAllByRole('checkbox');
    fireEvent.click(boxes[0]); // select all on the page
    const bulk = screen.getByTestId('statements-approve-selected');
    expect(bulk).toHaveTextContent('批量审批（2）');
    fireEvent.click(bulk);
    // Approving commits money: the confirmation names the count and total, and nothing is sent first.
    await confirmMoney('approve-confirm', '2 笔 · 金额合计 ¥2,400.00', '审批后', () =>
      expect(approved.size).toBe(0),
    );
    await waitFor(() => expect(approved.size).toBe(2));
    await waitFor(() => expect(within(table).getAllByText('已审批')).toHaveLength(2));
    expect(within(table).getAllByText('财务主管 杨帆')).toHaveLength(2);

    fireEvent.click(screen.getByTestId('statement-open-31'));
    const drawer = await screen.findByTestId('statement-drawer');
    expect(await within(drawer).findByTestId('statement-closing')).toHaveTextContent('¥1,200.00');
    expect(within(drawer).getAllByText('平台代结').length).toBeGreaterThan(0);
    // "付款及其他" names what moved it: the buy-out purchase order.
    const movements = await within(drawer).findByTestId('statement-movements');
    expect(within(movements).getByTestId('movement-7001')).toHaveTextContent('采购单 PO1 买断货款');
    expect(movements).toHaveTextContent('¥36,080.00');
    const entry = await within(drawer).findByTestId('leg-entry-4401');
    expect(entry).toHaveAttribute('href', '/ledger/entries/4401');
    expect(within(drawer).getByTestId('statement-download-pdf')).toHaveAttribute(
      'href',
      '/api/settlement/statements/31/download/?fmt=pdf',
    );
    // From a line of the statement to its phases: settled already, so they are read-only.
    fireEvent.click(within(drawer).getByTestId('leg-phases-1'));
    const phases = await screen.findByTestId('phases-drawer');
    expect(await within(phases).findByTestId('phases-locked')).toBeInTheDocument();
    expect(within(phases).getByTestId('phases-basis')).toHaveTextContent('¥1,500.00');
  });
});

describe('statement payee kind', () => {
  it('names the kind of organization a statement is for, in the list and the drawer', async () => {
    const org = (id: number, name: string, kind: string) => ({
      ...STATEMENT,
      id,
      payee_kind: 'organization',
      payee_org_kind: kind,
      organization: id,
      anchor: null,
      payee_name: name,
    });
    const statements = [
      org(41, '宜宾叙府窖酒业', 'brand'),
      org(42, '成都熊猫星选', 'mcn'),
      org(43, '川运物流', 'service_provider'),
      { ...STATEMENT, payee_org_kind: null },
    ];
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/runs/': { body: page([{ ...RUN, state: 'done', progress: 100 }]) },
      'GET /api/settlement/statements/': { body: page(statements) },
      'GET /api/settlement/statements/42/': {
        body: { ...statements[1], by_leg: [], movements: [] },
      },
      'GET /api/settlement/statements/42/lines/': { body: page([]) },
    });
    renderApp('/settlement/statements?run=12');
    expect(await screen.findByTestId('statement-kind-41')).toHaveTextContent(/^品牌商$/);
    expect(screen.getByTestId('statement-kind-42')).toHaveTextContent(/^MCN 机构$/);
    expect(screen.getByTestId('statement-kind-43')).toHaveTextContent(/^服务商$/);
    expect(screen.getByTestId('statement-kind-31')).toHaveTextContent(/^主播$/);

    fireEvent.click(screen.getByTestId('statement-open-42'));
    const drawer = await screen.findByTestId('statement-drawer');
    expect(await within(drawer).findByTestId('statement-kind')).toHaveTextContent(/^MCN 机构 · /);
  });
});

describe('payouts', () => {
  it('shows each statement left out of a payout with its payee and reason', async () => {
    const approvedStatement = { ...STATEMENT, state: 'approved' };
    const held = { ...STATEMENT, id: 33, payee_name: '成都某 MCN', state: 'approved' };
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/statements/': { body: page([approvedStatement, held]) },
      'GET /api/settlement/payouts/': { body: page([]) },
      'GET /api/settlement/payout-batches/': { body: page([]) },
      'POST /api/settlement/payouts/': {
        status: 201,
        body: {
          created: [
            {
              id: 5,
              statement: 31,
              payee_name: '主播小满',
              rail: 'bank',
              amount: money('1200.00'),
              attempt: 1,
              state: 'pending',
              batch: null,
              external_id: '',
              failure_reason: '',
              entry_id: null,
              created_at: '2026-11-25T03:00:00Z',
              updated_at: '2026-11-25T03:00:00Z',
            },
          ],
          skipped: [{ statement: 33, reason: '收款方已冻结 / the payee is on hold: 资料待补' }],
        },
      },
    });
    renderApp('/settlement/payouts');
    const table = await screen.findByTestId('payable-statements');
    await within(table).findByText('成都某 MCN');
    fireEvent.click(within(table).getAllByRole('checkbox')[0]);
    fireEvent.click(screen.getByTestId('payouts-create'));
    await confirmMoney('pay-confirm', '2 笔 · 金额合计 ¥2,400.00', '付给收款方', () =>
      expect(calls.some((c) => c.method === 'POST')).toBe(false),
    );
    const skipped = await screen.findByTestId('skipped-33');
    expect(skipped).toHaveTextContent('结算单 #33 · 成都某 MCN：收款方已冻结');
    expect(skipped).not.toHaveTextContent('on hold');
    const post = calls.find((c) => c.method === 'POST');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({ statements: [31, 33] });
  });
});

describe('payout actions', () => {
  it('sends a Stripe payout and shows why it failed, and opens an advance from a negative statement', async () => {
    const payout = {
      id: 6,
      statement: 31,
      payee_name: '主播小满',
      rail: 'stripe',
      amount: money('88.00'),
      attempt: 1,
      state: 'pending',
      batch: null,
      external_id: '',
      failure_reason: '',
      entry_id: null,
      created_at: '2026-11-25T03:00:00Z',
      updated_at: '2026-11-25T03:00:00Z',
    };
    const negative = { ...STATEMENT, id: 40, closing: money('-56.00'), state: 'approved' };
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/statements/': { body: page([]) },
      'GET /api/settlement/payouts/': { body: page([payout]) },
      'GET /api/settlement/payout-batches/': { body: page([]) },
      'POST /api/settlement/payouts/6/send/': {
        body: {
          ...payout,
          state: 'failed',
          failure_reason: '收款账户不可用 / the account cannot receive transfers',
        },
      },
      'GET /api/settlement/statements/40/': { body: { ...negative, by_leg: [] } },
      'GET /api/settlement/statements/40/lines/': { body: page([]) },
      'POST /api/settlement/advances/': {
        status: 201,
        body: {
          id: 9,
          statement: 40,
          payee_name: '主播小满',
          amount: money('56.00'),
          recovered: money('0.00'),
          written_off: money('0.00'),
          state: 'open',
          reason: '主播已解约',
          created_at: '2026-11-25T03:00:00Z',
          closed_at: null,
        },
      },
    });
    const { router } = renderApp('/settlement/payouts');
    fireEvent.click(await screen.findByTestId('payout-send-6'));
    await confirmMoney('payout-confirm', '1 笔 · 金额合计 ¥88.00', 'Stripe 向 主播小满 转账');
    expect(await screen.findByText(/付款 #6：失败 收款账户不可用/)).toBeInTheDocument();

    await router.navigate('/settlement/statements?open=40');
    const drawer = await screen.findByTestId('statement-drawer');
    const advance = await within(drawer).findByTestId('statement-advance');
    expect(within(advance).getByTestId('advance-open')).toBeDisabled();
    fireEvent.change(within(advance).getByTestId('advance-reason'), {
      target: { value: '主播已解约' },
    });
    fireEvent.click(within(advance).getByTestId('advance-open'));
    await confirmMoney('advance-confirm', '1 笔 · 金额合计 ¥56.00', '运营方将垫付');
    await waitFor(() =>
      expect(calls.some((c) => c.method === 'POST' && c.path === '/api/settlement/advances/')).toBe(
        true,
      ),
    );
    const post = calls.find((c) => c.path === '/api/settlement/advances/');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({ statement: 40, reason: '主播已解约' });
    expect(await screen.findByText('已发起垫付')).toBeInTheDocument();
  });
});

describe('payees', () => {
  it('names the payee and puts the backend’s message on the field at fault', async () => {
    const payee = {
      id: 4,
      payee_kind: 'anchor',
      organization: null,
      anchor: 5,
      rail: 'bank',
      bank_account_name: '蜀中小满',
      bank_account_number: '6217003800000005',
      bank_name: '中国建设银行',
      stripe_account_id: '',
      on_hold: false,
      hold_reason: '',
    };
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/payees/': { body: page([payee]) },
      'GET /api/parties/organizations/': { body: page([]) },
      'GET /api/parties/anchors/': { body: page([{ id: 5, name: '蜀中小满' }]) },
      'POST /api/settlement/payees/': {
        status: 400,
        body: {
          detail: 'Stripe 收款账户须为 acct_… / the Stripe rail needs a connected account acct_…',
          code: 'invalid',
          errors: {
            stripe_account_id: [
              'Stripe 收款账户须为 acct_… / the Stripe rail needs a connected account acct_…',
            ],
          },
        },
      },
    });
    renderApp('/settlement/payees');
    const table = await screen.findByTestId('payees-table');
    await within(table).findByText('蜀中小满');
    fireEvent.click(screen.getByTestId('payee-edit-4'));
    const drawer = await screen.findByTestId('payee-drawer');
    fireEvent.click(within(drawer).getByLabelText('Stripe Connect'));
    fireEvent.change(await within(drawer).findByTestId('payee-stripe'), {
      target: { value: 'wrong' },
    });
    fireEvent.click(screen.getByTestId('payee-save'));
    expect(await within(drawer).findByText('Stripe 收款账户须为 acct_…')).toBeInTheDocument();
    expect(JSON.parse(calls.find((c) => c.method === 'POST')?.body ?? '{}')).toEqual({
      organization: null,
      anchor: 5,
      rail: 'stripe',
      bank_account_name: '',
      bank_account_number: '',
      bank_name: '',
      stripe_account_id: 'wrong',
      on_hold: false,
      hold_reason: '',
    });
  });
});

describe('advances', () => {
  it('asks for a reason before writing an advance off', async () => {
    const advance = {
      id: 3,
      statement: 40,
      payee_name: '主播小满',
      amount: money('56.00'),
      recovered: money('0.00'),
      written_off: money('0.00'),
      state: 'open',
      reason: 'Stripe 冲回失败 / reversal refused',
      created_at: '2026-11-25T03:00:00Z',
      closed_at: null,
    };
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/advances/': { body: page([advance]) },
      'POST /api/settlement/advances/3/write-off/': {
        body: { ...advance, state: 'written_off', written_off: money('56.00') },
      },
    });
    renderApp('/settlement/advances');
    fireEvent.click(await screen.findByTestId('advance-write-off-3'));
    fireEvent.click(await screen.findByTestId('write-off-submit'));
    expect(await screen.findByText('请填写原因')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    fireEvent.change(screen.getByTestId('write-off-reason'), {
      target: { value: ' 主播已解约，无法追回 ' },
    });
    fireEvent.click(screen.getByTestId('write-off-submit'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(JSON.parse(calls.find((c) => c.method === 'POST')?.body ?? '{}')).toEqual({
      reason: '主播已解约，无法追回',
    });
  });
});

describe('my earnings', () => {
  it('shows a brand its estimated and settled earnings, the chart and its statements', async () => {
    mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'GET /api/settlement/earnings/': {
        body: [
          {
            payee_kind: 'organization',
            payee_id: 10,
            payee_name: '宜宾某酒业',
            estimated: money('1000.10'),
            estimated_at_source: money('0.00'),
            settled: money('2500.00'),
            settled_at_source: money('12.30'),
            balance: money('2500.00'),
            lines_pending: 7,
          },
        ],
      },
      'GET /api/settlement/statements/': {
        body: page([{ ...STATEMENT, payee_kind: 'organization', payee_name: '宜宾某酒业' }]),
      },
    });
    renderApp('/earnings');
    expect(await screen.findByTestId('earnings-estimated')).toHaveTextContent('¥1,000.10');
    expect(screen.getByTestId('earnings-settled')).toHaveTextContent('¥2,500.00');
    expect(screen.getByTestId('earnings-at-source')).toHaveTextContent('¥12.30');
    expect(await screen.findByTestId('earnings-chart')).toHaveTextContent('宜宾某酒业');
    expect(await screen.findByTestId('statement-files-31-pdf')).toHaveAttribute(
      'href',
      '/api/settlement/statements/31/download/?fmt=pdf',
    );
    expect(screen.getByTestId('statement-files-31-xlsx')).toHaveAttribute(
      'href',
      '/api/settlement/statements/31/download/?fmt=xlsx',
    );
    expect(screen.getByRole('link', { name: /我的收益/ })).toHaveAttribute('href', '/earnings');
  });
});

describe('order imports', () => {
  it('uploads a file and follows the import to its rejected rows', async () => {
    let polls = 0;
    const batch = {
      id: 8,
      source: 'douyin',
      kind: 'file',
      file_name: 'douyin.csv',
      sha256: 'x',
      uploaded_by: 'op_finance',
      state: 'running',
      rows_total: 4,
      rows_done: 1,
      progress: 0.25,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      unattributed: 0,
      error: '',
      created_at: '2026-11-25T03:00:00Z',
      started_at: null,
      finished_at: null,
    };
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/orders/batches/': { body: page([]) },
      'POST /api/orders/batches/': { status: 201, body: { ...batch, state: 'pending' } },
      'GET /api/orders/batches/8/': () => {
        polls += 1;
        return {
          body:
            polls < 2
              ? { ...batch, rejected_rows: [] }
              : {
                  ...batch,
                  state: 'done',
                  rows_done: 4,
                  progress: 1,
                  created: 2,
                  unchanged: 1,
                  rejected: 1,
                  rejected_rows: [{ line: 3, reason: '金额不是数字 / the amount is not a number' }],
                },
        };
      },
    });
    const { container } = renderApp('/settlement/imports');
    await screen.findByTestId('imports-page');
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    const file = new File(['主订单编号\n'], 'douyin.csv', { type: 'text/csv' });
    fireEvent.change(input, { target: { files: [file] } });
    await waitFor(() => expect(screen.getByTestId('import-submit')).toBeEnabled());
    fireEvent.click(screen.getByTestId('import-submit'));

    const progress = await screen.findByTestId('import-progress');
    await waitFor(() => expect(progress).toHaveAttribute('data-state', 'done'), {
      timeout: 15_000,
    });
    expect(screen.getByTestId('import-created')).toHaveTextContent('2');
    expect(screen.getByTestId('import-rows')).toHaveTextContent('已处理 4 / 4 行');
    const rows = screen.getByTestId('import-rejected-rows');
    expect(within(rows).getByText('3')).toBeInTheDocument();
    expect(within(rows).getByText('金额不是数字')).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toContain('name="platform"');
    expect(post?.body).toContain('douyin');
  });
});
