import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BRAND_ME, FINANCE_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';
import { yesterday } from './logic';
import { confirmMoney, page, money, RUN } from './fixtures';

vi.mock('./EarningsChart', () => ({
  default: ({ data }: { data: { labels: string[] } }) => (
    <div data-testid="earnings-chart">{data.labels.join(',')}</div>
  ),
}));

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
