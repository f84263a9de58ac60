import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { FINANCE_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';
import { page, money } from './fixtures';

vi.mock('./EarningsChart', () => ({
  default: ({ data }: { data: { labels: string[] } }) => (
    <div data-testid="earnings-chart">{data.labels.join(',')}</div>
  ),
}));

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
