import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { FINANCE_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';
import { page } from './fixtures';

vi.mock('./EarningsChart', () => ({
  default: ({ data }: { data: { labels: string[] } }) => (
    <div data-testid="earnings-chart">{data.labels.join(',')}</div>
  ),
}));

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
