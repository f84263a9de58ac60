import { describe, expect, it } from 'vitest';
import { BUNDLES, enumText, type ReconT } from './i18n';
import {
  activeSources,
  agingBucket,
  agingTotals,
  bulkPayload,
  canApprove,
  closePayload,
  closeReportHref,
  currentPeriod,
  exceptionQuery,
  filtersFromSearch,
  filtersToSearch,
  formatPct,
  historySeries,
  inLanguage,
  isUnresolved,
  matchedPct,
  minorToAmount,
  newestId,
  reasonTotals,
  recentPeriods,
  resolvePayload,
  runsAfter,
} from './logic';
import type { Board, BoardSource } from './models';
import { userName } from './names';

const money = (amount: string) => ({ amount, currency: 'CNY' });

function source(overrides: Partial<BoardSource>): BoardSource {
  return {
    source: 'douyin',
    lines: 0,
    reconciled_at: null,
    groups: 0,
    matched: 0,
    matched_pct: null,
    exceptions_by_reason: {},
    unresolved: 0,
    unresolved_amount: money('0.00'),
    aging: { '0-7': 0, '8-30': 0, '31-60': 0, '60+': 0 },
    settled: false,
    bill_missing: false,
    ...overrides,
  };
}

describe('periods', () => {
  it('takes the current month in China Standard Time', () => {
    // 2026-11-30 17:00 UTC is already 1 December in Chengdu.
    expect(currentPeriod(new Date('2026-11-30T17:00:00Z'))).toBe('2026-12');
    expect(currentPeriod(new Date('2026-11-30T15:00:00Z'))).toBe('2026-11');
  });

  it('lists recent months newest first across a year boundary', () => {
    expect(recentPeriods('2026-02', 4)).toEqual(['2026-02', '2026-01', '2025-12', '2025-11']);
  });
});

describe('matched %', () => {
  it('is matched groups over compared groups, to two decimals, null when nothing compared', () => {
    expect(matchedPct([])).toBeNull();
    expect(matchedPct([source({ groups: 0, matched: 0 })])).toBeNull();
    expect(
      matchedPct([source({ groups: 300, matched: 297 }), source({ groups: 100, matched: 99 })]),
    ).toBe(99);
    expect(matchedPct([source({ groups: 3, matched: 2 })])).toBe(66.67);
  });

  it('prints a percentage or a dash', () => {
    expect(formatPct(97.5)).toBe('97.5%');
    expect(formatPct(100)).toBe('100%');
    expect(formatPct(66.666)).toBe('66.67%');
    expect(formatPct(null)).toBe('—');
  });

  it('keeps only the sources with lines, runs or unresolved exceptions on the board', () => {
    const board = {
      sources: [
        source({ source: 'douyin', lines: 5 }),
        source({ source: 'kuaishou' }),
        source({ source: 'bank', unresolved: 1 }),
        source({ source: 'stripe', reconciled_at: '2026-11-25T02:00:00Z' }),
      ],
    } as Board;
    expect(activeSources(board).map((s) => s.source)).toEqual(['douyin', 'bank', 'stripe']);
    expect(activeSources(undefined)).toEqual([]);
  });

  it('orders the history by month with a gap where a source was not reconciled', () => {
    const rows = [
      {
        period: '2026-11',
        source: 'douyin',
        lines: 1,
        groups: 1,
        matched: 1,
        exceptions: 0,
        matched_pct: 100,
      },
      {
        period: '2026-10',
        source: 'douyin',
        lines: 1,
        groups: 2,
        matched: 1,
        exceptions: 1,
        matched_pct: 50,
      },
      {
        period: '2026-11',
        source: 'bank',
        lines: 1,
        groups: 4,
        matched: 3,
        exceptions: 1,
        matched_pct: 75,
      },
    ];
    expect(historySeries(rows)).toEqual({
      periods: ['2026-10', '2026-11'],
      series: [
        { source: 'bank', values: [null, 75] },
        { source: 'douyin', values: [50, 100] },
      ],
    });
  });
});

describe('aging', () => {
  it('buckets days as the backend does (0-7, 8-30, 31-60, 60+)', () => {
    expect([0, 7, 8, 30, 31, 60, 61, 400].map(agingBucket)).toEqual([
      '0-7',
      '0-7',
      '8-30',
      '8-30',
      '31-60',
      '31-60',
      '60+',
      '60+',
    ]);
  });

  it('sums the buckets and reasons of every source', () => {
    const sources = [
      source({ aging: { '0-7': 2, '8-30': 1 }, exceptions_by_reason: { fee_mismatch: 2 } }),
      source({
        aging: { '0-7': 1, '60+': 4 },
        exceptions_by_reason: { fee_mismatch: 1, missing_in_bill: 4 },
      }),
    ];
    expect(agingTotals(sources)).toEqual({ '0-7': 3, '8-30': 1, '31-60': 0, '60+': 4 });
    expect(reasonTotals(sources)).toEqual({ fee_mismatch: 3, missing_in_bill: 4 });
  });
});

describe('payloads and filters', () => {
  it('trims notes and reasons', () => {
    expect(resolvePayload('accept', '  平台少扣 ')).toEqual({
      resolution: 'accept',
      note: '平台少扣',
    });
    expect(bulkPayload([3, 4], 'timing', ' 下月到账 ')).toEqual({
      ids: [3, 4],
      resolution: 'timing',
      note: '下月到账',
    });
    expect(closePayload('2026-11')).toEqual({ period: '2026-11', override_reason: '' });
    expect(closePayload('2026-11', '  已与平台确认 ')).toEqual({
      period: '2026-11',
      override_reason: '已与平台确认',
    });
  });

  it('sends only the filters that are set, the age bucket too (the API filters every page)', () => {
    expect(
      exceptionQuery({ period: '2026-11', source: '', state: 'open', owner: 7, age: '0-7' }, 2, 20),
    ).toEqual({ page: 2, page_size: 20, period: '2026-11', state: 'open', owner: 7, age: '0-7' });
  });

  it('round-trips the filters through the address bar and ignores junk', () => {
    const filters = { period: '2026-11', source: 'douyin', owner: 5, age: '8-30' as const };
    expect(filtersFromSearch(filtersToSearch(filters))).toEqual({
      ...filters,
      reason: undefined,
      state: undefined,
    });
    expect(filtersFromSearch(new URLSearchParams('owner=abc&age=9-99'))).toMatchObject({
      owner: undefined,
      age: undefined,
    });
  });

  it("reads the home card's link: unresolved through a period, over 30 days", () => {
    const filters = filtersFromSearch(new URLSearchParams('unresolved_through=2026-03&age=31%2B'));
    expect(filters).toMatchObject({ unresolved_through: '2026-03', age: '31+' });
    expect(exceptionQuery(filters, 1, 20)).toEqual({
      page: 1,
      page_size: 20,
      unresolved_through: '2026-03',
      age: '31+',
    });
    expect(filtersToSearch(filters).toString()).toBe('age=31%2B&unresolved_through=2026-03');
    expect(filtersFromSearch(new URLSearchParams('unresolved_through=2026-13'))).toMatchObject({
      unresolved_through: undefined,
    });
  });

  it('finds the runs that reported after a reconcile was queued', () => {
    const before = [{ id: 4 }, { id: 9 }];
    expect(newestId(before)).toBe(9);
    expect(newestId([])).toBe(0);
    expect(runsAfter([{ id: 11 }, { id: 10 }, ...before], 9)).toEqual([{ id: 11 }, { id: 10 }]);
  });

  it('links the close report in both formats', () => {
    expect(closeReportHref('2026-11', 'xlsx')).toBe(
      '/api/reconciliation/closes/report/?period=2026-11&export=xlsx',
    );
    expect(closeReportHref('2026-11', 'pdf')).toContain('export=pdf');
  });

  it('writes fen as yuan without floats', () => {
    expect(minorToAmount(12345)).toBe('123.45');
    expect(minorToAmount(-5)).toBe('-0.05');
    expect(minorToAmount(0)).toBe('0.00');
  });
});

describe('states and approval', () => {
  it('treats open and pending approval as unresolved', () => {
    expect(isUnresolved({ state: 'open' })).toBe(true);
    expect(isUnresolved({ state: 'pending_approval' })).toBe(true);
    expect(isUnresolved({ state: 'timing' })).toBe(false);
    expect(isUnresolved({ state: 'cleared' })).toBe(false);
  });

  it('lets only a different user approve a pending adjustment', () => {
    expect(canApprove({ state: 'pending_approval', requested_by: 2 }, 3)).toBe(true);
    expect(canApprove({ state: 'pending_approval', requested_by: 2 }, 2)).toBe(false);
    expect(canApprove({ state: 'open', requested_by: 2 }, 3)).toBe(false);
    expect(canApprove({ state: 'pending_approval', requested_by: 2 }, undefined)).toBe(false);
  });

  it('names users from the list, marks the viewer, and falls back to the id', () => {
    const t = ((key: string, options?: Record<string, unknown>) =>
      key === 'common.you' ? '你' : `用户 #${String(options?.id)}`) as ReconT;
    const users = [{ id: 2, username: 'op_finance', display_name: '财务主管 杨帆' }];
    expect(userName(t, 2, users, 2)).toBe('财务主管 杨帆 (你)');
    expect(userName(t, 9, users, 2)).toBe('用户 #9');
    expect(userName(t, null, users, 2)).toBe('—');
  });

  it('labels every state, reason and resolution in both languages', () => {
    for (const language of ['zh', 'en'] as const) {
      const bundle = BUNDLES[language];
      const t = ((key: string) =>
        key
          .split('.')
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], bundle) ??
        key) as ReconT;
      expect(enumText(t, 'state', 'pending_approval')).toBe(
        language === 'zh' ? '待复核' : 'Pending approval',
      );
      expect(enumText(t, 'reason', 'fee_mismatch')).toBe(
        language === 'zh' ? '服务费不符' : 'Fee mismatch',
      );
      expect(enumText(t, 'resolution', 'write_off')).toBe(language === 'zh' ? '核销' : 'Write off');
    }
  });

  it('says the half of a "中文 / English" message in the user language', () => {
    const text = '2026-11 尚有 2 条未处理差异 / 2 unresolved exceptions remain';
    expect(inLanguage(text, 'zh')).toBe('2026-11 尚有 2 条未处理差异');
    expect(inLanguage(text, 'en')).toBe('2 unresolved exceptions remain');
    expect(inLanguage('plain', 'en')).toBe('plain');
  });
});

describe('bundles', () => {
  it('has the same keys in Chinese and English', () => {
    const keys = (node: object, prefix = ''): string[] =>
      Object.entries(node).flatMap(([key, value]) =>
        typeof value === 'string' ? [`${prefix}${key}`] : keys(value as object, `${prefix}${key}.`),
      );
    expect(keys(BUNDLES.en).sort()).toEqual(keys(BUNDLES.zh).sort());
  });
});
