import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { FINANCE_ME, mockApi } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';
import { confirmMoney, page, money, RUN, STATEMENT } from './fixtures';

vi.mock('./EarningsChart', () => ({
  default: ({ data }: { data: { labels: string[] } }) => (
    <div data-testid="earnings-chart">{data.labels.join(',')}</div>
  ),
}));

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
