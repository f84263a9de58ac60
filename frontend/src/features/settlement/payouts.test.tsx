import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FINANCE_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';

const page = <T,>(results: T[]) => ({ count: results.length, next: null, previous: null, results });
const money = (amount: string) => ({ amount, currency: 'CNY' });

describe('statements to pay', () => {
  it('offers only statements awaiting payout, and asks again once a payout is made', async () => {
    const statement = {
      id: 31,
      run: 3,
      cutoff: '2026-11-10',
      payee_kind: 'organization',
      organization: 5,
      anchor: null,
      payee_name: '宜宾叙府窖酒业',
      currency: 'CNY',
      account_id: 70,
      opening: money('0.00'),
      earnings: money('209.30'),
      clawbacks: money('0.00'),
      other: money('0.00'),
      closing: money('209.30'),
      at_source: money('0.00'),
      lines: 1,
      state: 'approved',
      approved_at: '2026-11-25T02:00:00Z',
      approved_by_name: '财务主管 杨帆',
      created_at: '2026-11-25T01:00:00Z',
    };
    let listed = 0;
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      // The server leaves out statements with a payout in flight or paid.
      'GET /api/settlement/statements/': () => {
        listed += 1;
        return { body: page(listed === 1 ? [statement] : []) };
      },
      'GET /api/settlement/payouts/': { body: page([]) },
      'GET /api/settlement/payout-batches/': { body: page([]) },
      'POST /api/settlement/payouts/': {
        status: 201,
        body: {
          created: [
            {
              id: 7,
              statement: 31,
              payee_name: '宜宾叙府窖酒业',
              rail: 'bank',
              amount: money('209.30'),
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
          skipped: [],
        },
      },
    });
    renderApp('/settlement/payouts');
    const table = await screen.findByTestId('payable-statements');
    await within(table).findByText('宜宾叙府窖酒业');
    const lists = () => calls.filter((c) => c.path.startsWith('/api/settlement/statements/'));
    expect(lists()[0].path).toContain('awaiting_payout=true');
    expect(lists()[0].path).not.toContain('state=');
    fireEvent.click(within(table).getAllByRole('checkbox')[1]);
    fireEvent.click(screen.getByTestId('payouts-create'));
    // Paying commits money: it asks first (lib/confirmMoney), naming the count and total.
    const ok = await screen.findByTestId('pay-confirm-ok');
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.click(ok);
    await waitFor(() => expect(within(table).queryByText('宜宾叙府窖酒业')).toBeNull());
    expect(lists().length).toBeGreaterThan(1);
    expect(lists().every((c) => c.path.includes('awaiting_payout=true'))).toBe(true);
    expect(JSON.parse(calls.find((c) => c.method === 'POST')?.body ?? '{}')).toEqual({
      statements: [31],
    });
  });
});

describe('stripe payouts', () => {
  it('offers to send again a Stripe payout whose outcome is unknown, not a bank one', async () => {
    const base = {
      statement: 31,
      payee_name: '宜宾叙府窖酒业',
      amount: money('209.30'),
      attempt: 1,
      batch: null,
      external_id: '',
      entry_id: null,
      created_at: '2026-11-25T03:00:00Z',
      updated_at: '2026-11-25T03:00:00Z',
    };
    const unknown = {
      ...base,
      id: 8,
      rail: 'stripe',
      state: 'sent',
      failure_reason: '结果未知，可再次发送 / outcome unknown, send again: Stripe had a moment.',
    };
    const bank = { ...base, id: 9, rail: 'bank', state: 'sent', batch: 4, failure_reason: '' };
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/statements/': { body: page([]) },
      'GET /api/settlement/payouts/': { body: page([unknown, bank]) },
      'GET /api/settlement/payout-batches/': { body: page([]) },
    });
    renderApp('/settlement/payouts');
    expect(await screen.findByTestId('payout-send-8')).toBeInTheDocument();
    expect(screen.queryByTestId('payout-send-9')).toBeNull();
  });
});

describe('bank result file', () => {
  const BATCH = {
    id: 4,
    created_at: '2026-11-25T03:00:00Z',
    created_by_name: '出纳 王丽',
    payouts: 2,
    total: money('1288.00'),
    result_sha256: null,
  };

  it('shows every bad row of a refused file as a table: line, column, problem', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/statements/': { body: page([]) },
      'GET /api/settlement/payouts/': { body: page([]) },
      'GET /api/settlement/payout-batches/': { body: page([BATCH]) },
      'POST /api/settlement/payout-batches/4/results/': {
        status: 400,
        body: {
          detail:
            '回单文件有错误行，未做任何更改 / the result file has bad rows; nothing was changed: …',
          code: 'bad_rows',
          errors: { file: ['回单文件有错误行，未做任何更改 / the result file has bad rows'] },
          rejected: [
            {
              line: 3,
              field: '业务参考号',
              reason: "业务参考号 'x' 不在本批次 / not in this batch",
            },
            { line: 5, field: '状态', reason: "未知状态 '处理中' / unknown status (成功/失败)" },
          ],
        },
      },
    });
    const { container } = renderApp('/settlement/payouts');
    const batches = await screen.findByTestId('batches-table');
    // Who made the batch file is named.
    expect(await within(batches).findByText('出纳 王丽')).toBeInTheDocument();
    const input = container.querySelector(
      '.ant-upload:has([data-testid="batch-upload-4"]) input[type="file"]',
    ) as HTMLInputElement;
    const file = new File(['业务参考号,状态\nx,成功\n'], 'result.csv', { type: 'text/csv' });
    fireEvent.change(input, { target: { files: [file] } });

    const refused = await screen.findByTestId('batch-results-error');
    expect(refused).toHaveTextContent('#4 回单文件有错误，未做任何更改');
    const table = within(refused).getByTestId('batch-rejections');
    const third = within(table).getByTestId('batch-row-error-3');
    expect(
      within(third)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['3', '业务参考号', "业务参考号 'x' 不在本批次"]);
    const fifth = within(table).getByTestId('batch-row-error-5');
    expect(
      within(fifth)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['5', '状态', "未知状态 '处理中'"]);
    expect(screen.queryByTestId('batch-results')).toBeNull();
    expect(calls.find((c) => c.method === 'POST')?.path).toBe(
      '/api/settlement/payout-batches/4/results/',
    );
  });

  it('shows the counts of an applied file, and a file-level refusal as a message', async () => {
    let upload = 0;
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/statements/': { body: page([]) },
      'GET /api/settlement/payouts/': { body: page([]) },
      'GET /api/settlement/payout-batches/': { body: page([BATCH]) },
      'POST /api/settlement/payout-batches/4/results/': () => {
        upload += 1;
        if (upload === 1) {
          const message = '不是银行回单文件：表头应为 业务参考号,状态 / not a bank result file';
          return {
            status: 400,
            body: { detail: message, code: 'invalid', errors: { file: [message] } },
          };
        }
        return { body: { batch: 4, paid: 1, failed: 1, unchanged: 0 } };
      },
    });
    const { container } = renderApp('/settlement/payouts');
    await screen.findByTestId('batch-upload-4');
    const input = () =>
      container.querySelector(
        '.ant-upload:has([data-testid="batch-upload-4"]) input[type="file"]',
      ) as HTMLInputElement;
    const file = new File(['a,b\n'], 'result.csv', { type: 'text/csv' });
    fireEvent.change(input(), { target: { files: [file] } });
    const refused = await screen.findByTestId('batch-results-error');
    expect(refused).toHaveTextContent('#4 不是银行回单文件');
    expect(within(refused).queryByTestId('batch-rejections')).toBeNull();

    fireEvent.change(input(), { target: { files: [file] } });
    expect(await screen.findByTestId('batch-results')).toHaveTextContent(
      '回单结果：到账 1，失败 1，未变 0',
    );
  });
});
