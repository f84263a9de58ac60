import { describe, expect, it } from 'vitest';
import { formatMoney } from '@/lib/money';
import { dayjs } from '@/lib/time';
import { BUNDLES, enumText, type SettlementT } from './i18n';
import {
  approvable,
  chartValue,
  earningsChart,
  earningsTotals,
  importPercent,
  importPollInterval,
  inLanguage,
  canResume,
  isInterrupted,
  payable,
  payeePayload,
  payoutCreatePayload,
  phaseErrorPath,
  phasesPayload,
  phasesSum,
  POLL_MS,
  progressStatus,
  runCreatePayload,
  runsPollInterval,
  skippedRows,
  statementTotals,
  yesterday,
} from './logic';
import type { EarningsRow, ImportBatch, Run, Statement } from './models';

const money = (amount: string) => ({ amount, currency: 'CNY' });

function run(overrides: Partial<Run>): Run {
  return {
    id: 1,
    cutoff: '2026-11-24',
    state: 'done',
    lines_total: 10,
    lines_done: 10,
    lines_settled: 8,
    lines_clawed_back: 1,
    lines_problem: 0,
    statements: 3,
    progress: 100,
    error: '',
    created_at: '2026-11-25T02:00:00Z',
    started_at: '2026-11-25T02:00:01Z',
    heartbeat_at: '2026-11-25T02:00:05Z',
    finished_at: '2026-11-25T02:00:06Z',
    ...overrides,
  };
}

function statement(overrides: Partial<Statement>): Statement {
  return {
    id: 1,
    run: 1,
    cutoff: '2026-11-24',
    payee_kind: 'organization',
    organization: 10,
    anchor: null,
    payee_name: '宜宾某酒业',
    currency: 'CNY',
    account_id: 5,
    opening: money('0.00'),
    earnings: money('0.00'),
    clawbacks: money('0.00'),
    other: money('0.00'),
    closing: money('0.00'),
    at_source: money('0.00'),
    lines: 1,
    state: 'draft',
    approved_at: null,
    created_at: '2026-11-25T02:00:06Z',
    ...overrides,
  };
}

describe('polling', () => {
  it('polls runs while one is pending or running, and stops when all are done or failed', () => {
    expect(runsPollInterval(undefined)).toBe(false);
    expect(runsPollInterval([run({ state: 'done' }), run({ state: 'failed' })])).toBe(false);
    expect(runsPollInterval([run({ state: 'done' }), run({ state: 'running' })])).toBe(POLL_MS);
    expect(runsPollInterval([run({ state: 'pending' })])).toBe(POLL_MS);
    expect(POLL_MS).toBeGreaterThanOrEqual(1000);
    expect(POLL_MS).toBeLessThanOrEqual(2000);
  });

  it('polls an import until it has finished', () => {
    const batch = (state: string) => ({ state }) as ImportBatch;
    expect(importPollInterval(undefined)).toBe(POLL_MS);
    expect(importPollInterval(batch('pending'))).toBe(POLL_MS);
    expect(importPollInterval(batch('running'))).toBe(POLL_MS);
    expect(importPollInterval(batch('done'))).toBe(false);
    expect(importPollInterval(batch('failed'))).toBe(false);
  });

  it('calls a run interrupted after two minutes without a heartbeat', () => {
    const at = (iso: string) => new Date(iso).getTime();
    const running = run({ state: 'running', heartbeat_at: '2026-11-25T02:00:00Z' });
    expect(isInterrupted(running, at('2026-11-25T02:01:59Z'))).toBe(false);
    expect(isInterrupted(running, at('2026-11-25T02:02:01Z'))).toBe(true);
    const queued = run({ state: 'pending', created_at: '2026-11-25T02:00:00Z' });
    expect(isInterrupted(queued, at('2026-11-25T02:00:30Z'))).toBe(false);
    expect(isInterrupted(queued, at('2026-11-25T02:05:00Z'))).toBe(true);
    expect(isInterrupted(run({ state: 'done' }), at('2030-01-01T00:00:00Z'))).toBe(false);
    expect(isInterrupted(run({ state: 'failed' }), at('2030-01-01T00:00:00Z'))).toBe(false);
    // A failed run can be resumed while it is the latest run, never an older one.
    expect(canResume(run({ id: 7, state: 'failed' }), 7, at('2030-01-01T00:00:00Z'))).toBe(true);
    expect(canResume(run({ id: 6, state: 'failed' }), 7, at('2030-01-01T00:00:00Z'))).toBe(false);
    expect(canResume(run({ id: 7, state: 'done' }), 7, at('2030-01-01T00:00:00Z'))).toBe(false);
    expect(canResume(queued, undefined, at('2026-11-25T02:05:00Z'))).toBe(true);
  });

  it('maps states to progress-bar statuses', () => {
    expect(progressStatus('running')).toBe('active');
    expect(progressStatus('pending')).toBe('active');
    expect(progressStatus('running', true)).toBe('exception');
    expect(progressStatus('done')).toBe('success');
    expect(progressStatus('failed')).toBe('exception');
  });

  it('turns an import fraction into a whole percent', () => {
    expect(importPercent({ state: 'running', progress: null })).toBe(0);
    expect(importPercent({ state: 'running', progress: 0.4567 })).toBe(45);
    expect(importPercent({ state: 'running', progress: 1.2 })).toBe(100);
    expect(importPercent({ state: 'done', progress: 0.5 })).toBe(100);
  });
});

describe('payloads', () => {
  it('defaults the cut-off to yesterday in Shanghai, whatever the browser zone', () => {
    // 2026-11-25 17:30 UTC is already 2026-11-26 01:30 in Shanghai.
    expect(yesterday(new Date('2026-11-25T17:30:00Z'))).toBe('2026-11-25');
    expect(yesterday(new Date('2026-11-25T15:30:00Z'))).toBe('2026-11-24');
  });

  it('sends the cut-off as a date', () => {
    expect(runCreatePayload(dayjs('2026-11-24'))).toEqual({ cutoff: '2026-11-24' });
    expect(runCreatePayload('2026-11-24T00:00:00')).toEqual({ cutoff: '2026-11-24' });
  });

  it('pays each selected statement once, in id order', () => {
    expect(payoutCreatePayload([9, 3, 9, 4])).toEqual({ statements: [3, 4, 9] });
  });

  it('sends one party and only the chosen rail’s details', () => {
    expect(
      payeePayload(
        { organization: 10, anchor: null },
        {
          rail: 'bank',
          bank_account_name: ' 宜宾某酒业 ',
          bank_account_number: '6222 0204 0200 0001',
          bank_name: '中国工商银行',
          stripe_account_id: 'acct_old',
          on_hold: false,
          hold_reason: '旧原因',
        },
      ),
    ).toEqual({
      organization: 10,
      anchor: null,
      rail: 'bank',
      bank_account_name: '宜宾某酒业',
      bank_account_number: '6222020402000001',
      bank_name: '中国工商银行',
      stripe_account_id: '',
      on_hold: false,
      hold_reason: '',
    });
    expect(
      payeePayload(
        { organization: null, anchor: 5 },
        {
          rail: 'stripe',
          stripe_account_id: ' acct_1 ',
          bank_account_name: 'x',
          on_hold: true,
          hold_reason: ' 资料待补 ',
        },
      ),
    ).toMatchObject({
      organization: null,
      anchor: 5,
      rail: 'stripe',
      bank_account_name: '',
      stripe_account_id: 'acct_1',
      on_hold: true,
      hold_reason: '资料待补',
    });
  });

  it('approves drafts only and pays approved statements with something owed', () => {
    const rows = [
      statement({ id: 1, state: 'draft', closing: money('10.00') }),
      statement({ id: 2, state: 'approved', closing: money('10.00') }),
      statement({ id: 3, state: 'approved', closing: money('-5.00') }),
      statement({ id: 4, state: 'approved', closing: money('0.00') }),
    ];
    expect(approvable(rows)).toEqual([1]);
    expect(payable(rows)).toEqual([2]);
  });
});

describe('bilingual messages', () => {
  it('shows the half of the reader’s language', () => {
    const reason = '结算单未审批 / the statement is not approved';
    expect(inLanguage(reason, 'zh')).toBe('结算单未审批');
    expect(inLanguage(reason, 'en')).toBe('the statement is not approved');
    expect(inLanguage('plain message', 'zh')).toBe('plain message');
  });

  it('lists skipped statements with their payee and reason', () => {
    const rows = skippedRows(
      [
        { statement: 7, reason: '收款方已冻结 / the payee is on hold: 资料待补' },
        { statement: 99, reason: '结算单不存在 / no such statement' },
      ],
      [statement({ id: 7, payee_name: '主播小满' })],
      'en',
    );
    expect(rows).toEqual([
      { statement: 7, payee: '主播小满', reason: 'the payee is on hold: 资料待补' },
      { statement: 99, payee: '', reason: 'no such statement' },
    ]);
  });
});

describe('money', () => {
  it('totals statements exactly, per currency', () => {
    const totals = statementTotals([
      statement({ earnings: money('0.10'), closing: money('0.10') }),
      statement({ earnings: money('0.20'), closing: money('-0.05'), clawbacks: money('-0.15') }),
    ]);
    expect(totals).toHaveLength(1);
    expect(totals[0].currency).toBe('CNY');
    expect(totals[0].totals.earnings).toEqual(money('0.30'));
    expect(totals[0].totals.closing).toEqual(money('0.05'));
    expect(formatMoney(totals[0].totals.clawbacks)).toBe('-¥0.15');
  });

  it('sums an MCN’s earnings with its anchors’', () => {
    const row = (name: string, estimated: string, settled: string): EarningsRow => ({
      payee_kind: 'anchor',
      payee_id: name.length,
      payee_name: name,
      estimated: money(estimated),
      estimated_at_source: money('1.11'),
      settled: money(settled),
      settled_at_source: money('0.01'),
      balance: money(settled),
      lines_pending: 2,
    });
    const totals = earningsTotals([row('A', '1234.56', '0.10'), row('B', '0.44', '0.20')]);
    expect(formatMoney(totals.estimated)).toBe('¥1,235.00');
    expect(totals.settled).toEqual(money('0.30'));
    expect(totals.estimated_at_source).toEqual(money('2.22'));
    expect(totals.lines_pending).toBe(4);
    expect(earningsTotals([]).estimated).toEqual(money('0.00'));

    const chart = earningsChart([row('A', '1234.56', '0.10')], {
      estimated: 'e',
      settled: 's',
      estimatedAtSource: 'ea',
      settledAtSource: 'sa',
    });
    expect(chart.labels).toEqual(['A']);
    expect(chart.series.map((s) => [s.key, s.stack, s.values[0]])).toEqual([
      ['estimated', 'estimated', 1234.56],
      ['estimatedAtSource', 'estimated', 1.11],
      ['settled', 'settled', 0.1],
      ['settledAtSource', 'settled', 0.01],
    ]);
    expect(chartValue(money('-3.5'))).toBe(-3.5);
  });
});

describe('strings', () => {
  const keys = (value: unknown, prefix = ''): string[] =>
    value && typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
      : [prefix];

  it('has every key in Chinese and English', () => {
    expect(keys(BUNDLES.en).sort()).toEqual(keys(BUNDLES.zh).sort());
    for (const text of [...keys(BUNDLES.zh)]) expect(text).not.toBe('');
  });

  it('labels states, and shows an unknown value as sent', () => {
    const t = ((key: string, options?: { defaultValue?: string }) => {
      const path = key.split('.');
      let node: unknown = BUNDLES.zh;
      for (const part of path) node = (node as Record<string, unknown> | undefined)?.[part];
      return typeof node === 'string' ? node : (options?.defaultValue ?? key);
    }) as SettlementT;
    expect(enumText(t, 'runState', 'running')).toBe('结算中');
    expect(enumText(t, 'statementState', 'draft')).toBe('待审批');
    expect(enumText(t, 'payoutState', 'paid')).toBe('已到账');
    expect(enumText(t, 'advanceState', 'written_off')).toBe('已核销');
    expect(enumText(t, 'legKind', 'mcn_share')).toBe('MCN 分成');
    expect(enumText(t, 'payoutState', 'reversed')).toBe('reversed');
  });
});

describe('phases', () => {
  it('sends the rows in order with money as decimal strings and days as YYYY-MM-DD', () => {
    expect(
      phasesPayload(
        [
          { amount: ' 50 ', settleable_on: dayjs('2026-11-11') },
          { amount: '249.00', settleable_on: dayjs('2026-12-01') },
        ],
        'CNY',
      ),
    ).toEqual({
      phases: [
        { amount: { amount: '50', currency: 'CNY' }, settleable_on: '2026-11-11' },
        { amount: { amount: '249.00', currency: 'CNY' }, settleable_on: '2026-12-01' },
      ],
    });
  });

  it('sums exactly, and not while an amount is missing', () => {
    expect(phasesSum([{ amount: '0.10' }, { amount: '0.20' }], 'CNY')).toEqual(money('0.30'));
    expect(phasesSum([{ amount: '0.10' }, { amount: '' }], 'CNY')).toBeNull();
    expect(phasesSum([{ amount: 'abc' }], 'CNY')).toBeNull();
  });

  it('puts a server error on the row and input it names', () => {
    expect(phaseErrorPath('phases[1].settleable_on')).toEqual(['phases', 1, 'settleable_on']);
    expect(phaseErrorPath('phases[0].amount.currency')).toEqual(['phases', 0, 'amount']);
    expect(phaseErrorPath('phases[2].amount.amount')).toEqual(['phases', 2, 'amount']);
    expect(phaseErrorPath('phases')).toBeNull();
    expect(phaseErrorPath('non_field_errors')).toBeNull();
  });
});
