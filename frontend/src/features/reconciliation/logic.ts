/** Pure logic of the reconciliation workbench: periods, matched %, aging, payloads, polling. */
import { exportUrl, type ExportFormat } from '@/lib/exports';
import { dayjs, TIME_ZONE } from '@/lib/time';
import type { Board, BoardSource, HistoryRow, ReconException, Resolution } from './models';

/** Who may open the workbench: the operator's finance staff and owners. */
export const RECON_ROLES: readonly string[] = ['finance', 'owner'];

/** Only an owner may close a month over unresolved exceptions (with a reason) or reopen it. */
export function isOwner(roles: readonly string[]): boolean {
  return roles.includes('owner');
}

/** The current month in China Standard Time, "YYYY-MM". */
export function currentPeriod(now: Date = new Date()): string {
  return dayjs(now).tz(TIME_ZONE).format('YYYY-MM');
}

/** The last `count` months ending with `last`, newest first: "2026-11", "2026-10", … */
export function recentPeriods(last: string, count = 12): string[] {
  const start = dayjs(`${last}-01`);
  return Array.from({ length: count }, (_, i) => start.subtract(i, 'month').format('YYYY-MM'));
}

export function isPeriod(value: string | null | undefined): value is string {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/** "97.5%" — or "—" when nothing was compared. */
export function formatPct(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return '—';
  return `${Number(pct.toFixed(2))}%`;
}

/** Matched % of a set of sources: matched groups over compared groups (null when none). */
export function matchedPct(
  rows: readonly Pick<BoardSource, 'groups' | 'matched'>[],
): number | null {
  const groups = rows.reduce((sum, row) => sum + row.groups, 0);
  if (groups === 0) return null;
  const matched = rows.reduce((sum, row) => sum + row.matched, 0);
  return Math.round((10_000 * matched) / groups) / 100;
}

/** The sources worth a row on the board: those with bill lines, a run or unresolved exceptions. */
export function activeSources(board: Board | undefined): BoardSource[] {
  return (board?.sources ?? []).filter(
    (row) => row.lines > 0 || row.groups > 0 || row.unresolved > 0 || row.reconciled_at,
  );
}

export const AGING_BUCKETS = ['0-7', '8-30', '31-60', '60+'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];
/** The queue's age filter: a bucket, or over 30 days (the last two buckets, as the home counts them). */
export const AGE_FILTERS = [...AGING_BUCKETS, '31+'] as const;
export type AgeFilter = (typeof AGE_FILTERS)[number];

/** Which aging bucket an exception of `days` falls into (as the backend counts them). */
export function agingBucket(days: number): AgingBucket {
  if (days <= 7) return '0-7';
  if (days <= 30) return '8-30';
  if (days <= 60) return '31-60';
  return '60+';
}

/** Unresolved exceptions per aging bucket, summed over the board's sources. */
export function agingTotals(
  sources: readonly Pick<BoardSource, 'aging'>[],
): Record<AgingBucket, number> {
  const totals = Object.fromEntries(AGING_BUCKETS.map((b) => [b, 0])) as Record<
    AgingBucket,
    number
  >;
  for (const row of sources) {
    for (const bucket of AGING_BUCKETS) totals[bucket] += row.aging[bucket] ?? 0;
  }
  return totals;
}

/** Exceptions by reason, summed over sources (the board shows them per source too). */
export function reasonTotals(sources: readonly Pick<BoardSource, 'exceptions_by_reason'>[]) {
  const totals: Record<string, number> = {};
  for (const row of sources) {
    for (const [reason, n] of Object.entries(row.exceptions_by_reason)) {
      totals[reason] = (totals[reason] ?? 0) + n;
    }
  }
  return totals;
}

export interface HistorySeries {
  periods: string[];
  series: { source: string; values: (number | null)[] }[];
}

/** matched % per source over months, oldest month first, for a line chart. */
export function historySeries(rows: readonly HistoryRow[]): HistorySeries {
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  const sources = [...new Set(rows.map((r) => r.source))].sort();
  const at = new Map(rows.map((r) => [`${r.period}|${r.source}`, r.matched_pct ?? null]));
  return {
    periods,
    series: sources.map((source) => ({
      source,
      values: periods.map((period) => at.get(`${period}|${source}`) ?? null),
    })),
  };
}

/** States still asking for work; the close waits on these (above the threshold). */
export const UNRESOLVED: readonly string[] = ['open', 'pending_approval'];

export function isUnresolved(exception: Pick<ReconException, 'state'>): boolean {
  return UNRESOLVED.includes(exception.state ?? 'open');
}

/** Resolutions that post an adjusting entry (and above the threshold wait for a second user). */
export const POSTING_RESOLUTIONS: readonly Resolution[] = ['accept', 'write_off'];

/** Resolutions a bulk action may apply to open exceptions (they post nothing). */
export const BULK_RESOLUTIONS: readonly Resolution[] = ['timing', 'dispute'];

/**
 * Can `userId` approve this exception? Only a pending one, and only someone other than the
 * person who asked for it (the backend refuses the same user too).
 */
export function canApprove(
  exception: Pick<ReconException, 'state' | 'requested_by'>,
  userId: number | undefined,
): boolean {
  return (
    exception.state === 'pending_approval' &&
    userId !== undefined &&
    exception.requested_by !== userId
  );
}

export function resolvePayload(resolution: Resolution, note: string) {
  return { resolution, note: note.trim() };
}

export function bulkPayload(ids: readonly number[], resolution: Resolution, note: string) {
  return { ids: [...ids], resolution, note: note.trim() };
}

/** The close request; an empty override reason means no override. */
export function closePayload(period: string, overrideReason?: string) {
  return { period, override_reason: (overrideReason ?? '').trim() };
}

export interface ExceptionFilters {
  period?: string;
  source?: string;
  reason?: string;
  state?: string;
  owner?: number;
  age?: AgeFilter;
  /** Open or awaiting approval, of this period (YYYY-MM) or before: what the board and the home count. */
  unresolved_through?: string;
}

/** Query parameters of the queue: every filter, the age bucket included, is applied by the API,
 * so counts and pages are of all matching exceptions. */
export function exceptionQuery(filters: ExceptionFilters, page: number, pageSize: number) {
  const query: Record<string, string | number> = { page, page_size: pageSize };
  const keys = [
    'period',
    'source',
    'reason',
    'state',
    'owner',
    'age',
    'unresolved_through',
  ] as const;
  for (const key of keys) {
    const value = filters[key];
    if (value !== undefined && value !== '') query[key] = value;
  }
  return query;
}

/** The queue's export with the screen's filters (every page, not the one shown). */
export function exceptionsExportUrl(filters: ExceptionFilters, fmt: ExportFormat): string {
  const { period, source, reason, state, owner, age, unresolved_through } = filters;
  return exportUrl('/api/reconciliation/exceptions/export/', fmt, {
    period,
    source,
    reason,
    state,
    owner,
    age,
    unresolved_through,
  });
}

/** Every rejected row of a bill import, as a file. */
export function billRejectedExportUrl(importId: number, fmt: ExportFormat): string {
  return exportUrl(`/api/reconciliation/imports/${importId}/rejected-rows/export/`, fmt);
}

/** Filters from the address bar (?period=2026-11&state=open&…). */
export function filtersFromSearch(search: URLSearchParams): ExceptionFilters {
  const owner = Number(search.get('owner'));
  const age = search.get('age');
  const through = search.get('unresolved_through');
  return {
    period: search.get('period') || undefined,
    source: search.get('source') || undefined,
    reason: search.get('reason') || undefined,
    state: search.get('state') || undefined,
    owner: Number.isInteger(owner) && owner > 0 ? owner : undefined,
    age: (AGE_FILTERS as readonly string[]).includes(age ?? '') ? (age as AgeFilter) : undefined,
    unresolved_through: /^\d{4}-(0[1-9]|1[0-2])$/.test(through ?? '')
      ? (through ?? undefined)
      : undefined,
  };
}

export function filtersToSearch(filters: ExceptionFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  return search;
}

/** The runs that reported after a reconcile was queued (ids above the newest one seen before). */
export function runsAfter<T extends { id: number }>(
  runs: readonly T[] | undefined,
  afterId: number,
): T[] {
  return (runs ?? []).filter((run) => run.id > afterId);
}

export function newestId(runs: readonly { id: number }[] | undefined): number {
  return (runs ?? []).reduce((max, run) => Math.max(max, run.id), 0);
}

/** "中文 / English" from the backend → the half in the user's language. */
export function inLanguage(text: string, language: 'zh' | 'en'): string {
  const at = text.indexOf(' / ');
  if (at < 0) return text;
  return (language === 'zh' ? text.slice(0, at) : text.slice(at + 3)).trim() || text;
}

/** fen as an integer → "12.34" (for the side-by-side view of the raw bill and ledger rows). */
export function minorToAmount(minor: number): string {
  const negative = minor < 0;
  const abs = Math.abs(Math.trunc(minor)).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

export const CLOSE_REPORT_FORMATS = ['xlsx', 'pdf'] as const;

export function closeReportHref(period: string, format: (typeof CLOSE_REPORT_FORMATS)[number]) {
  return `/api/reconciliation/closes/report/?period=${encodeURIComponent(period)}&export=${format}`;
}
