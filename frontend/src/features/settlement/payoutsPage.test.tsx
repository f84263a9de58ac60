import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { FINANCE_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';
import { confirmMoney, page, money, STATEMENT } from './fixtures';

vi.mock('./EarningsChart', () => ({
  default: ({ data }: { data: { labels: string[] } }) => (
    <div data-testid="earnings-chart">{data.labels.join(',')}</div>
  ),
}));

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
