import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BRAND_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';
import { page, money, STATEMENT } from './fixtures';

vi.mock('./EarningsChart', () => ({
  default: ({ data }: { data: { labels: string[] } }) => (
    <div data-testid="earnings-chart">{data.labels.join(',')}</div>
  ),
}));

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
