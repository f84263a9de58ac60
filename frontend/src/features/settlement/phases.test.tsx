import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FINANCE_ME, mockApi, type Call } from '@/test/mockApi';
import { renderApp } from '@/test/renderApp';

const page = <T,>(results: T[]) => ({ count: results.length, next: null, previous: null, results });
const money = (amount: string) => ({ amount, currency: 'CNY' });

const RUN = {
  id: 12,
  cutoff: '2026-11-24',
  state: 'done',
  lines_total: 200,
  lines_done: 200,
  lines_settled: 190,
  lines_clawed_back: 0,
  lines_problem: 0,
  chunks_done: 1,
  statements: 4,
  progress: 100,
  error: '',
  requested_by_name: '财务主管 杨帆',
  created_at: '2026-11-25T02:00:00Z',
  started_at: '2026-11-25T02:00:00Z',
  heartbeat_at: '2026-11-25T02:01:00Z',
  finished_at: '2026-11-25T02:01:00Z',
};

/** A pre-sale line of ¥299.00 with a deposit of ¥50.00 and the balance a week later. */
const LINE = {
  line: 501,
  platform: 'douyin',
  order_id: 'PRE-7788',
  full_basis: money('299.00'),
  settled_basis: money('0.00'),
  phases: [
    { phase: 1, basis: money('50.00'), settleable_on: '2026-11-11' },
    { phase: 2, basis: money('249.00'), settleable_on: '2026-11-18' },
  ],
};

async function openLine(id: string) {
  renderApp('/settlement/runs');
  await screen.findByTestId('runs-table');
  fireEvent.change(screen.getByTestId('phases-line-id'), { target: { value: id } });
  fireEvent.click(screen.getByTestId('phases-open'));
  return screen.findByTestId('phases-drawer');
}

const body = (calls: Call[], method: string) =>
  JSON.parse(calls.find((c) => c.method === method)?.body ?? '{}') as unknown;

describe('phases of a line (定金 / 尾款)', () => {
  it('shows the basis and the phases, and sends the edited schedule as the PUT body', async () => {
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/runs/': { body: page([RUN]) },
      'GET /api/settlement/problem-lines/': { body: page([]) },
      'GET /api/settlement/lines/501/phases/': { body: LINE },
      'PUT /api/settlement/lines/501/phases/': (call) => {
        const sent = JSON.parse(call.body ?? '{}') as {
          phases: { amount: { amount: string }; settleable_on: string }[];
        };
        return {
          body: {
            ...LINE,
            phases: sent.phases.map((p, i) => ({
              phase: i + 1,
              basis: money(p.amount.amount),
              settleable_on: p.settleable_on,
            })),
          },
        };
      },
    });
    const drawer = await openLine('501');
    // Who started the run is named in the runs table.
    expect(within(screen.getByTestId('runs-table')).getByText('财务主管 杨帆')).toBeInTheDocument();
    expect(await within(drawer).findByTestId('phases-basis')).toHaveTextContent('¥299.00');
    expect(within(drawer).getByText('PRE-7788')).toBeInTheDocument();
    const deposit = within(drawer).getByTestId('phase-amount-0');
    await waitFor(() => expect(deposit).toHaveValue('50.00'));
    expect(within(drawer).getByTestId('phase-row-0')).toHaveTextContent('定金');
    expect(within(drawer).getByTestId('phase-row-1')).toHaveTextContent('尾款');
    expect(within(drawer).getByTestId('phases-sum')).toHaveTextContent('与结算基数一致');

    // A bigger deposit: the sum is off the basis until the balance follows.
    fireEvent.change(deposit, { target: { value: '99.00' } });
    expect(await within(drawer).findByTestId('phases-off')).toHaveTextContent(
      '与结算基数相差 ¥49.00',
    );
    fireEvent.change(within(drawer).getByTestId('phase-amount-1'), {
      target: { value: '200.00' },
    });
    await waitFor(() => expect(within(drawer).queryByTestId('phases-off')).toBeNull());
    expect(within(drawer).getByTestId('phases-sum-value')).toHaveTextContent('¥299.00');

    fireEvent.click(within(drawer).getByTestId('phases-save'));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(body(calls, 'PUT')).toEqual({
      phases: [
        { amount: { amount: '99.00', currency: 'CNY' }, settleable_on: '2026-11-11' },
        { amount: { amount: '200.00', currency: 'CNY' }, settleable_on: '2026-11-18' },
      ],
    });
    expect(await screen.findByText('订单行 #501 的分期已保存')).toBeInTheDocument();
  });

  it("puts the server's refusal on the row and input it names, and a whole-schedule one above", async () => {
    let answer = 0;
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/runs/': { body: page([RUN]) },
      'GET /api/settlement/problem-lines/': { body: page([]) },
      'GET /api/settlement/lines/501/phases/': { body: LINE },
      'PUT /api/settlement/lines/501/phases/': () => {
        answer += 1;
        const message =
          answer === 1
            ? '各期可结算日须逐期递增 / each phase must become settleable after the one before'
            : '各期合计 30000 分不等于订单行结算基数 29900 分 / the phases add up to 30000, the line’s basis is 29900 (minor units)';
        const field = answer === 1 ? 'phases[1].settleable_on' : 'phases';
        return {
          status: 400,
          body: { detail: message, code: 'invalid', errors: { [field]: [message] } },
        };
      },
    });
    const drawer = await openLine('501');
    await waitFor(() => expect(within(drawer).getByTestId('phase-amount-0')).toHaveValue('50.00'));

    fireEvent.click(within(drawer).getByTestId('phases-save'));
    const second = within(drawer).getByTestId('phase-row-1');
    expect(await within(second).findByText('各期可结算日须逐期递增')).toBeInTheDocument();
    expect(within(within(drawer).getByTestId('phase-row-0')).queryByText(/逐期递增/)).toBeNull();
    expect(within(drawer).queryByTestId('phases-error')).toBeNull();

    fireEvent.click(within(drawer).getByTestId('phases-save'));
    expect(await within(drawer).findByTestId('phases-error')).toHaveTextContent(
      '各期合计 30000 分不等于订单行结算基数 29900 分',
    );
  });

  it('removes the phases with DELETE after a confirmation', async () => {
    let cleared = false;
    const { calls } = mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/runs/': { body: page([RUN]) },
      'GET /api/settlement/problem-lines/': { body: page([]) },
      'GET /api/settlement/lines/501/phases/': () => ({
        body: cleared ? { ...LINE, phases: [] } : LINE,
      }),
      'DELETE /api/settlement/lines/501/phases/': () => {
        cleared = true;
        return { status: 204 };
      },
    });
    const drawer = await openLine('501');
    fireEvent.click(await within(drawer).findByTestId('phases-clear'));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false); // not before the confirmation
    // antd spaces a two-character label: "确 定".
    fireEvent.click(await screen.findByRole('button', { name: /^确\s*定$/ }));
    await waitFor(() =>
      expect(
        calls.some((c) => c.method === 'DELETE' && c.path === '/api/settlement/lines/501/phases/'),
      ).toBe(true),
    );
    expect(await screen.findByText('订单行 #501 已取消分期')).toBeInTheDocument();
    // Refetched: the line has no phases now, so the editor starts again from two empty rows.
    expect(await within(drawer).findByTestId('phases-hint')).toHaveTextContent(
      '未设置分期：整笔在售后期后结算',
    );
    expect(within(drawer).queryByTestId('phases-clear')).toBeNull();
    await waitFor(() => expect(within(drawer).getByTestId('phase-amount-0')).toHaveValue(''));
  });

  it('shows a settled line read-only', async () => {
    mockApi({
      'GET /api/auth/me/': { body: FINANCE_ME },
      'GET /api/settlement/runs/': { body: page([RUN]) },
      'GET /api/settlement/problem-lines/': { body: page([]) },
      'GET /api/settlement/lines/501/phases/': {
        body: { ...LINE, settled_basis: money('50.00') },
      },
    });
    const drawer = await openLine('501');
    expect(await within(drawer).findByTestId('phases-locked')).toBeInTheDocument();
    expect(within(drawer).queryByTestId('phases-save')).toBeNull();
    expect(within(drawer).getByTestId('phase-amount-0')).toBeDisabled();
  });
});
