import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BRAND_ME, FINANCE_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';
import { currentPeriod } from './logic';

vi.mock('./BoardCharts', () => ({
  MatchedHistoryChart: ({ data }: { data: { periods: string[] } }) => (
    <div data-testid="history-chart">{data.periods.join(',')}</div>
  ),
  AgingChart: ({ values }: { values: number[] }) => (
    <div data-testid="aging-chart">{values.join(',')}</div>
  ),
}));

const page = <T,>(results: T[]) => ({ count: results.length, next: null, previous: null, results });
const money = (amount: string) => ({ amount, currency: 'CNY' });
const PERIOD = '2026-11';
const OWNER_ME = { ...FINANCE_ME, id: 9, username: 'op_admin', roles: ['owner'], home: 'operator' };

const DOUYIN = {
  source: 'douyin',
  lines: 120,
  reconciled_at: '2026-11-25T02:00:00Z',
  groups: 120,
  matched: 116,
  matched_pct: 96.67,
  exceptions_by_reason: { fee_mismatch: 2, missing_in_ledger: 1, commission_mismatch: 1 },
  unresolved: 4,
  unresolved_amount: money('-12.30'),
  aging: { '0-7': 3, '8-30': 1, '31-60': 0, '60+': 0 },
  settled: true,
  bill_missing: false,
};
const QUIET = (source: string) => ({
  source,
  lines: 0,
  reconciled_at: null,
  groups: 0,
  matched: 0,
  matched_pct: null,
  exceptions_by_reason: {},
  unresolved: 0,
  unresolved_amount: money('0.00'),
  aging: { '0-7': 0, '8-30': 0, '31-60': 0, '60+': 0 },
  settled: false,
  bill_missing: false,
});
const BOARD = {
  period: PERIOD,
  start: '2026-11-01',
  end: '2026-11-30',
  closed: false,
  close_threshold: money('0.00'),
  sources: [DOUYIN, ...['kuaishou', 'taobao', 'wechat', 'bank', 'stripe'].map(QUIET)],
};

const EXCEPTION = {
  id: 41,
  source: 'douyin',
  match_key: '6920001',
  reason: 'fee_mismatch',
  period: PERIOD,
  last_period: PERIOD,
  difference: money('-3.00'),
  bill_net: money('221.25'),
  ledger_net: money('224.25'),
  detail: {
    bill: { gross: 29900, fee: 1795, commission: 5980, net: 22125, ids: [501] },
    ledger: { gross: 29900, fee: 1495, commission: 5980, net: 22425, refs: [77] },
  },
  state: 'open',
  owner: null,
  owner_name: '',
  resolution: '',
  resolution_note: '',
  requested_by: null,
  approved_by: null,
  entry_id: null,
  expected_period: '',
  first_seen_at: '2026-11-25T02:00:00Z',
  resolved_at: null,
  age_days: 0,
};
const DETAIL = {
  ...EXCEPTION,
  notes: [
    {
      id: 1,
      author: 'op_finance',
      text: '平台多扣服务费',
      attachment: null,
      attachment_name: null,
      created_at: '2026-11-25T03:00:00Z',
    },
  ],
  sides: {
    bill: [
      {
        id: 501,
        natural_key: 'R1:6920001:0',
        line_no: 2,
        occurred_on: '2026-11-24',
        order_id: '6920001',
        request_no: 'R1',
        reference: '',
        phase: '0',
        gross_minor: 29900,
        fee_minor: 1795,
        commission_minor: 5980,
        net_minor: 22125,
        currency: 'CNY',
      },
    ],
    ledger: [
      {
        line_id: 77,
        order_id: '6920001',
        run: 3,
        kind: 'platform_fee',
        settled_by: 'platform',
        amount_minor: 1495,
        entry_id: 88,
        currency: 'CNY',
      },
      {
        line_id: 77,
        order_id: '6920001',
        run: 3,
        kind: 'anchor_commission',
        settled_by: 'platform',
        amount_minor: 5980,
        entry_id: 88,
        currency: 'CNY',
      },
    ],
  },
};
const USERS = page([
  { id: 2, username: 'op_finance', display_name: '财务主管 杨帆', roles: ['finance'] },
  { id: 9, username: 'op_admin', display_name: '运营管理员 王丽', roles: ['owner', 'staff'] },
  { id: 5, username: 'op_staff', display_name: '运营专员', roles: ['staff'] },
]);

describe('reconciliation workbench', () => {
  it('shows the board per source with charts and reconciles a period until its run reports', async () => {
    let runs: object[] = [];
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/reconciliation/runs/board/': { body: BOARD },
      'GET /api/reconciliation/runs/history/': {
        body: [
          {
            period: '2026-11',
            source: 'douyin',
            lines: 120,
            groups: 120,
            matched: 116,
            exceptions: 4,
            matched_pct: 96.67,
          },
          {
            period: '2026-10',
            source: 'douyin',
            lines: 90,
            groups: 90,
            matched: 90,
            exceptions: 0,
            matched_pct: 100,
          },
        ],
      },
      'GET /api/reconciliation/runs/': () => ({ body: page(runs) }),
      'POST /api/reconciliation/runs/': () => {
        runs = [
          {
            id: 7,
            period: PERIOD,
            source: 'douyin',
            lines: 120,
            groups: 120,
            matched: 116,
            exceptions: 4,
            seconds: 0.2,
            created_at: '2026-11-25T02:00:00Z',
          },
        ];
        return { status: 202, body: { queued: true, period: PERIOD, source: 'douyin' } };
      },
    });
    renderApp(`/reconciliation/board?period=${PERIOD}`);
    const row = await screen.findByTestId('board-row-douyin');
    expect(within(row).getByText('96.67%')).toBeInTheDocument();
    expect(within(row).getByText('-¥12.30')).toBeInTheDocument();
    expect(within(row).getByTestId('board-reason-douyin-fee_mismatch')).toHaveAttribute(
      'href',
      `/reconciliation/exceptions?period=${PERIOD}&source=douyin&reason=fee_mismatch`,
    );
    expect(screen.queryByTestId('board-row-kuaishou')).toBeNull();
    expect(await screen.findByTestId('history-chart')).toHaveTextContent('2026-10,2026-11');
    expect(await screen.findByTestId('aging-chart')).toHaveTextContent('3,1,0,0');

    fireEvent.mouseDown(within(screen.getByTestId('reconcile-source')).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('抖店结算账单'));
    fireEvent.click(screen.getByTestId('reconcile-start'));
    expect(await screen.findByText('对账完成：120 组，匹配 116，差异 4')).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({ period: PERIOD, source: 'douyin' });
  });

  it('uploads a bill and lists the rejected lines with their numbers', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/reconciliation/imports/': { body: page([]) },
      'POST /api/reconciliation/imports/': {
        status: 201,
        body: {
          ok: true,
          source: 'douyin',
          file: 'bill.csv',
          import: 12,
          already_imported: false,
          created: 40,
          updated: 1,
          unchanged: 0,
          rejected: [{ line: 7, reason: '结算金额不是数字 / settle_amount is not a number' }],
        },
      },
    });
    const { container } = renderApp('/reconciliation/imports');
    await screen.findByTestId('bill-imports-table');
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    fireEvent.change(input, {
      target: { files: [new File(['a,b'], 'bill.csv', { type: 'text/csv' })] },
    });
    await waitFor(() => expect(screen.getByTestId('bill-submit')).not.toBeDisabled());
    fireEvent.click(screen.getByTestId('bill-submit'));
    const report = await screen.findByTestId('bill-report');
    expect(within(report).getByTestId('bill-created')).toHaveTextContent('40');
    expect(within(report).getByTestId('bill-rejected')).toHaveTextContent('1');
    const rejected = within(report).getByTestId('bill-rejected-lines');
    expect(within(rejected).getByText('7')).toBeInTheDocument();
    expect(within(rejected).getByText('结算金额不是数字')).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.path).toBe('/api/reconciliation/imports/');
  });

  it('polls a bill import sent to the background until it is done, then shows its counts', async () => {
    const record = {
      id: 31,
      source: 'douyin',
      filename: 'big-bill.csv',
      sha256: 'ab'.repeat(32),
      rows_total: 200000,
      rejected: [],
      error: '',
      created_at: '2026-11-25T02:00:00Z',
      started_at: null,
      finished_at: null,
    };
    const answers = [
      {
        ...record,
        status: 'running',
        rows_done: 50000,
        progress: 0.25,
        created: 0,
        updated: 0,
        unchanged: 0,
      },
      {
        ...record,
        status: 'done',
        rows_done: 200000,
        progress: 1,
        created: 199998,
        updated: 0,
        unchanged: 0,
        rejected: [{ line: 9, reason: '结算时间为空 / settle_time is empty' }],
      },
    ];
    let polls = 0;
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/reconciliation/imports/': { body: page([]) },
      'POST /api/reconciliation/imports/': {
        status: 202,
        body: {
          ...record,
          status: 'queued',
          rows_done: 0,
          progress: 0,
          created: 0,
          updated: 0,
          unchanged: 0,
        },
      },
      'GET /api/reconciliation/imports/31/': () => ({
        body: answers[Math.min(polls++, answers.length - 1)],
      }),
    });
    const { container } = renderApp('/reconciliation/imports');
    await screen.findByTestId('bill-imports-table');
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    fireEvent.change(input, {
      target: { files: [new File(['a,b'], 'big-bill.csv', { type: 'text/csv' })] },
    });
    await waitFor(() => expect(screen.getByTestId('bill-submit')).not.toBeDisabled());
    fireEvent.click(screen.getByTestId('bill-submit'));
    const progress = await screen.findByTestId('bill-import-progress');
    await waitFor(() => expect(progress).toHaveAttribute('data-status', 'running'));
    expect(within(progress).getByTestId('bill-import-status')).toHaveTextContent('导入中');
    expect(within(progress).getByTestId('bill-import-rows')).toHaveTextContent(
      '已处理 50,000 / 200,000 行',
    );
    expect(within(progress).getByText('25%')).toBeInTheDocument();
    await waitFor(() => expect(progress).toHaveAttribute('data-status', 'done'), {
      timeout: 4000,
    });
    expect(within(progress).getByTestId('bill-import-status')).toHaveTextContent('已完成');
    expect(within(progress).getByTestId('bill-created')).toHaveTextContent('199,998');
    expect(within(progress).getByTestId('bill-rejected')).toHaveTextContent('1');
    expect(within(progress).getByText('结算时间为空')).toBeInTheDocument();
    // Done: the polling stops.
    const asked = calls.filter((c) => c.path === '/api/reconciliation/imports/31/').length;
    expect(asked).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1800));
    expect(calls.filter((c) => c.path === '/api/reconciliation/imports/31/').length).toBe(asked);
  });

  it('names the line of a failed background bill import', async () => {
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/reconciliation/imports/': { body: page([]) },
      'POST /api/reconciliation/imports/': {
        status: 202,
        body: {
          id: 32,
          source: 'douyin',
          filename: 'b.csv',
          status: 'queued',
          rows_total: 10,
          rows_done: 0,
          progress: 0,
        },
      },
      'GET /api/reconciliation/imports/32/': {
        body: {
          id: 32,
          source: 'douyin',
          filename: 'b.csv',
          status: 'failed',
          rows_total: 3000,
          rows_done: 0,
          progress: 0,
          rejected: [],
          error:
            '文件编码错误：第 2501 行不是 utf-8 文本 / the file is not valid utf-8 at line 2501',
        },
      },
    });
    const { container } = renderApp('/reconciliation/imports');
    await screen.findByTestId('bill-imports-table');
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(['a,b'], 'b.csv')] } });
    await waitFor(() => expect(screen.getByTestId('bill-submit')).not.toBeDisabled());
    fireEvent.click(screen.getByTestId('bill-submit'));
    const error = await screen.findByTestId('bill-import-error');
    expect(error).toHaveTextContent('文件编码错误：第 2501 行不是 utf-8 文本');
    expect(screen.getByTestId('bill-import-progress')).toHaveAttribute('data-status', 'failed');
    expect(
      within(screen.getByTestId('bill-import-progress')).getByText('失败'),
    ).toBeInTheDocument();
  });

  it('filters the queue from the address bar and marks the selected as timing differences', async () => {
    let bulkBody: unknown = null;
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/parties/users/': { body: USERS },
      'GET /api/reconciliation/exceptions/': {
        body: page([EXCEPTION, { ...EXCEPTION, id: 42, match_key: '6920002' }]),
      },
      'POST /api/reconciliation/exceptions/bulk-resolve/': (call) => {
        bulkBody = JSON.parse(call.body ?? '{}');
        return { body: { resolved: 2 } };
      },
    });
    renderApp(`/reconciliation/exceptions?period=${PERIOD}&source=douyin&state=open`);
    await screen.findByTestId('exception-row-41');
    const list = calls.find((c) => c.path.startsWith('/api/reconciliation/exceptions/?'));
    expect(list?.path).toContain('period=2026-11');
    expect(list?.path).toContain('source=douyin');
    expect(list?.path).toContain('state=open');

    const table = screen.getByTestId('exceptions-table');
    const boxes = within(table).getAllByRole('checkbox');
    fireEvent.click(boxes[0]); // select all
    expect(screen.getByTestId('bulk-count')).toHaveTextContent('已选 2 条');
    fireEvent.click(screen.getByTestId('bulk-timing'));
    fireEvent.click(await screen.findByTestId('bulk-confirm'));
    expect(await screen.findByText('请填写说明')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('bulk-note'), { target: { value: '下月到账' } });
    fireEvent.click(screen.getByTestId('bulk-confirm'));
    await waitFor(() =>
      expect(bulkBody).toEqual({ ids: [41, 42], resolution: 'timing', note: '下月到账' }),
    );
  });

  it('shows the bill line beside the ledger legs, and an accept above the threshold waits for a second user', async () => {
    let state: Record<string, unknown> = DETAIL;
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/parties/users/': { body: USERS },
      'GET /api/reconciliation/exceptions/': { body: page([EXCEPTION]) },
      'GET /api/reconciliation/exceptions/41/': () => ({ body: state }),
      'POST /api/reconciliation/exceptions/41/resolve/': (call) => {
        const body = JSON.parse(call.body ?? '{}');
        state = {
          ...DETAIL,
          state: 'pending_approval',
          resolution: body.resolution,
          resolution_note: body.note,
          requested_by: 2,
        };
        return { body: state };
      },
    });
    renderApp(`/reconciliation/exceptions?open=41`);
    const drawer = await screen.findByTestId('exception-body');
    const bill = within(drawer).getByTestId('exception-bill-side');
    expect(within(bill).getByText('¥17.95')).toBeInTheDocument();
    const ledger = within(drawer).getByTestId('exception-ledger-side');
    expect(within(ledger).getByText('平台服务费')).toBeInTheDocument();
    expect(within(ledger).getByText('¥14.95')).toBeInTheDocument();
    expect(within(ledger).getAllByTestId('ledger-entry-link-88')[0]).toHaveAttribute(
      'href',
      '/ledger/entries/88',
    );
    const compared = within(drawer).getByTestId('exception-compared');
    expect(within(compared).getByText('¥3.00')).toBeInTheDocument();
    expect(within(drawer).getByText('平台多扣服务费')).toBeInTheDocument();

    fireEvent.click(within(drawer).getByLabelText('按账单金额调整'));
    fireEvent.change(within(drawer).getByTestId('resolve-note'), {
      target: { value: '以平台为准' },
    });
    fireEvent.click(within(drawer).getByTestId('resolve-submit'));
    // Accepting posts an adjusting entry: it asks first with the amount, and sends nothing until then.
    const ok = await screen.findByTestId('resolve-confirm-ok');
    expect(screen.getByTestId('resolve-confirm-summary')).toHaveTextContent(
      '1 笔 · 金额合计 ¥3.00',
    );
    expect(calls.some((c) => c.method === 'POST' && c.path.endsWith('/resolve/'))).toBe(false);
    fireEvent.click(ok);
    const approval = await screen.findByTestId('exception-approval');
    expect(within(approval).getByTestId('exception-approve-own')).toBeInTheDocument();
    expect(screen.getByTestId('exception-requested-by')).toHaveTextContent('财务主管 杨帆 (你)');
    expect(screen.queryByTestId('exception-approve')).toBeNull();
  });

  it('lets a second finance user approve a pending adjustment', async () => {
    let approved: unknown = null;
    mockApi({
      'GET /api/auth/me/': { body: OWNER_ME },
      'GET /api/parties/users/': { body: USERS },
      'GET /api/reconciliation/exceptions/': { body: page([]) },
      'GET /api/reconciliation/exceptions/41/': () => ({
        body: approved
          ? {
              ...DETAIL,
              state: 'accepted',
              resolution: 'accept',
              requested_by: 2,
              approved_by: 9,
              entry_id: 120,
            }
          : { ...DETAIL, state: 'pending_approval', resolution: 'accept', requested_by: 2 },
      }),
      'POST /api/reconciliation/exceptions/41/approve/': (call) => {
        approved = JSON.parse(call.body ?? '{}');
        return { body: { ...DETAIL, state: 'accepted' } };
      },
    });
    renderApp('/reconciliation/exceptions?open=41');
    expect(await screen.findByTestId('exception-requested-by')).toHaveTextContent('财务主管 杨帆');
    fireEvent.click(await screen.findByTestId('exception-approve'));
    const ok = await screen.findByTestId('resolve-confirm-ok');
    expect(screen.getByTestId('resolve-confirm-summary')).toHaveTextContent('金额合计 ¥3.00');
    expect(approved).toBeNull();
    fireEvent.click(ok);
    await waitFor(() => expect(approved).toEqual({ approve: true, note: '' }));
    expect(await screen.findByTestId('exception-entry')).toHaveAttribute(
      'href',
      '/ledger/entries/120',
    );
    expect(screen.getByTestId('exception-approved-by')).toHaveTextContent('运营管理员 王丽 (你)');
  });

  it('blocks the close while exceptions are open; an owner overrides with a reason', async () => {
    let closeBody: unknown = null;
    mockApi({
      'GET /api/auth/me/': { body: OWNER_ME },
      'GET /api/reconciliation/runs/board/': { body: BOARD },
      'GET /api/reconciliation/closes/': { body: page([]) },
      'GET /api/reconciliation/exceptions/': { body: page([]) },
      'POST /api/reconciliation/closes/': (call) => {
        closeBody = JSON.parse(call.body ?? '{}');
        return {
          status: 201,
          body: {
            id: 1,
            period: PERIOD,
            state: 'closed',
            open_exceptions: 4,
            override_reason: '已与平台确认',
            closed_by: 9,
            closed_at: '2026-11-25T04:00:00Z',
          },
        };
      },
    });
    renderApp(`/reconciliation/close?period=${PERIOD}`);
    await screen.findByTestId('close-blocked');
    expect(screen.getByTestId('check-blocking')).toHaveAttribute('data-ok', 'false');
    expect(screen.getByTestId('check-reconciled')).toHaveAttribute('data-ok', 'true');
    expect(screen.getByTestId('close-report-xlsx')).toHaveAttribute(
      'href',
      `/api/reconciliation/closes/report/?period=${PERIOD}&export=xlsx`,
    );
    fireEvent.click(screen.getByTestId('close-submit'));
    expect(
      await screen.findByText('只有负责人可以在有未处理差异或缺少账单时强制关账，并须说明原因', {
        selector: '.ant-form-item-explain-error',
      }),
    ).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('close-override-reason'), {
      target: { value: '已与平台确认' },
    });
    fireEvent.click(screen.getByTestId('close-submit'));
    fireEvent.click(await screen.findByTestId('close-confirm'));
    await waitFor(() =>
      expect(closeBody).toEqual({ period: PERIOD, override_reason: '已与平台确认' }),
    );
  });

  it('shows a platform settled without a bill as a red item that blocks the close', async () => {
    const board = {
      ...BOARD,
      sources: [
        { ...DOUYIN, unresolved: 0, unresolved_amount: money('0.00') },
        { ...QUIET('kuaishou'), settled: true, bill_missing: true },
        ...['taobao', 'wechat', 'bank', 'stripe'].map(QUIET),
      ],
    };
    mockApi({
      'GET /api/auth/me/': { body: OWNER_ME },
      'GET /api/reconciliation/runs/board/': { body: board },
      'GET /api/reconciliation/closes/': { body: page([]) },
      'GET /api/reconciliation/exceptions/': { body: page([]) },
    });
    renderApp(`/reconciliation/close?period=${PERIOD}`);
    await screen.findByTestId('close-blocked');
    const bills = screen.getByTestId('check-bills');
    expect(bills).toHaveAttribute('data-ok', 'false');
    expect(bills).toHaveTextContent('缺少账单：快手账单');
    expect(screen.getByTestId('check-blocking')).toHaveAttribute('data-ok', 'true');
    expect(screen.getByTestId('close-blocked')).toBeInTheDocument();
    expect(screen.getByTestId('close-override-reason')).toBeInTheDocument();
  });

  it('says why finance cannot close over open exceptions', async () => {
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/reconciliation/runs/board/': { body: BOARD },
      'GET /api/reconciliation/closes/': { body: page([]) },
      'GET /api/reconciliation/exceptions/': { body: page([]) },
      'POST /api/reconciliation/closes/': {
        status: 409,
        body: {
          detail:
            '2026-11 尚有 4 条超过阈值 0 分的未处理差异 / 4 unresolved exceptions above the threshold remain',
          code: 'exceptions_open',
          errors: {
            override_reason: [
              '2026-11 尚有 4 条超过阈值 0 分的未处理差异 / 4 unresolved exceptions above the threshold remain',
            ],
          },
        },
      },
    });
    renderApp(`/reconciliation/close?period=${PERIOD}`);
    await screen.findByTestId('close-blocked');
    expect(screen.queryByTestId('close-override-reason')).toBeNull();
    fireEvent.click(screen.getByTestId('close-submit'));
    fireEvent.click(await screen.findByTestId('close-confirm'));
    expect(await screen.findByTestId('close-error')).toHaveTextContent(
      '2026-11 尚有 4 条超过阈值 0 分的未处理差异',
    );
  });

  it('keeps the workbench from a brand and shows it in the finance menu', async () => {
    mockApi({
      'GET /api/auth/me/': { body: BRAND_ME },
      'GET /api/settlement/earnings/': { body: [] },
    });
    renderApp('/reconciliation/board');
    await waitFor(() => expect(screen.queryByTestId('reconciliation-page')).toBeNull());
    expect(currentPeriod()).toMatch(/^\d{4}-\d{2}$/);
  });
});
