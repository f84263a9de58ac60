/**
 * What the settlement screens' tests share: a money confirmation, a page of results, money, a run
 * and a statement.
 */
import { fireEvent, screen, within } from '@testing-library/react';
import { expect } from 'vitest';

/**
 * The confirmation of a money action: it shows the count and total and names the action; `before`
 * checks that nothing was sent while it waits; then it is confirmed.
 */
export async function confirmMoney(
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

export const page = <T>(results: T[]) => ({
  count: results.length,
  next: null,
  previous: null,
  results,
});

export const money = (amount: string) => ({ amount, currency: 'CNY' });

export const RUN = {
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

export const STATEMENT = {
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
