import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FINANCE_ME, mockApi, queriesOf } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';

// The finance home links here with its filter in the URL: the list asks for exactly that.

const empty = { count: 0, next: null, previous: null, results: [] };
const routes = {
  'GET /api/auth/me/': { body: FINANCE_ME },
  'GET /api/settlement/statements/': { body: empty },
  'GET /api/settlement/runs/': { body: empty },
  'GET /api/settlement/payouts/': { body: empty },
  'GET /api/settlement/payout-batches/': { body: empty },
};

describe('settlement lists honour the filter of the link that led there', () => {
  it('statements: ?state=draft lists the statements awaiting approval, shown in the state filter', async () => {
    const { calls } = mockApi(routes);
    renderApp('/settlement/statements?state=draft');
    await waitFor(() =>
      expect(queriesOf(calls, '/api/settlement/statements/')[0]?.get('state')).toBe('draft'),
    );
    expect(await screen.findByTestId('filter-state')).toHaveTextContent('待审批');
  });

  it('payouts: ?in_flight=true asks for payouts in flight, shows a tag, and drops it when closed', async () => {
    const { calls } = mockApi(routes);
    renderApp('/settlement/payouts?in_flight=true&state=sent');
    expect(await screen.findByTestId('filter-tag-in_flight')).toHaveTextContent('待发送、已发送');
    const payouts = () =>
      queriesOf(calls, '/api/settlement/payouts/').filter((q) => !q.has('statement'));
    await waitFor(() => expect(payouts()).not.toHaveLength(0));
    expect(payouts()[0]!.get('in_flight')).toBe('true');
    expect(payouts()[0]!.get('state')).toBe('sent');

    fireEvent.click(
      screen.getByTestId('filter-tag-in_flight').querySelector('.ant-tag-close-icon')!,
    );
    await waitFor(() => {
      const last = payouts().at(-1)!;
      expect(last.has('in_flight')).toBe(false);
      expect(last.get('state')).toBe('sent');
    });
  });
});
