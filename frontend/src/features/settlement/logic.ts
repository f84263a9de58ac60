/**
 * The settlement pages' decisions, kept out of the components so they can be tested alone:
 * when to poll, what a progress bar shows, request bodies, totals in exact minor units, and how
 * the backend's bilingual messages ("中文 / English") are shown in one language.
 */
import type { Dayjs } from 'dayjs';
import { exportUrl, type ExportFormat } from '@/lib/exports';
import { dayjs, fromPicker, TIME_ZONE } from '@/lib/time';
import {
  importPercent as jobPercent,
  importPollInterval as jobPollInterval,
} from '@/lib/imports/state';
import { fromMinorUnits, sumMoney, toMinorUnits, type Money } from '@/lib/money';
import type { EarningsRow, ImportBatch, Run, Skipped, Statement } from './models';

/** How often a page asks again while a run or an import is under way. */
export const POLL_MS = 1500;
/** The backend re-queues a run with no heartbeat for two minutes (runs_resume_stale). */
export const STALE_AFTER_MS = 120_000;

/** Operator roles that settle (the backend's FINANCE_ROLES: owner and finance). */
export const SETTLEMENT_ROLES: readonly string[] = ['owner', 'finance'];

const ACTIVE = new Set(['pending', 'running']);

export function isActive(state: string): boolean {
  return ACTIVE.has(state);
}

/** Poll the runs list while any run on it is pending or running. */
export function runsPollInterval(runs: readonly Run[] | undefined): number | false {
  return runs?.some((run) => isActive(run.state)) ? POLL_MS : false;
}

/** Poll an import batch until it is done or failed (the rule for every import: `@/lib/imports/state`). */
export function importPollInterval(batch: ImportBatch | undefined): number | false {
  return jobPollInterval(batch && { status: batch.state });
}

/**
 * A run whose worker stopped: running without a heartbeat for two minutes, or pending and never
 * picked up. These get a resume button (the backend's sweep also re-queues them).
 */
export function isInterrupted(run: Run, now: number = Date.now()): boolean {
  const stale = (iso: string | null | undefined) =>
    !iso || now - new Date(iso).getTime() > STALE_AFTER_MS;
  if (run.state === 'running') return stale(run.heartbeat_at ?? run.started_at);
  if (run.state === 'pending') return stale(run.created_at);
  return false;
}

/**
 * Whether a run gets a resume button: an interrupted one, or a failed one that is still the latest
 * run (`latestRunId`, undefined when not known); the backend refuses to resume an older failed run.
 */
export function canResume(
  run: Run,
  latestRunId: number | undefined,
  now: number = Date.now(),
): boolean {
  return isInterrupted(run, now) || (run.state === 'failed' && run.id === latestRunId);
}

export type ProgressStatus = 'active' | 'success' | 'exception' | 'normal';

/** antd Progress status for a run or import state. */
export function progressStatus(state: string, interrupted = false): ProgressStatus {
  if (state === 'done') return 'success';
  if (state === 'failed' || interrupted) return 'exception';
  if (isActive(state)) return 'active';
  return 'normal';
}

/** An import's progress (0–1, null while unknown) as a whole percent. */
export function importPercent(batch: Pick<ImportBatch, 'state' | 'progress'>): number {
  return jobPercent({ status: batch.state, progress: batch.progress });
}

/** Yesterday in China Standard Time ("YYYY-MM-DD"), the default cut-off. */
export function yesterday(now: Date = new Date()): string {
  return dayjs(now).tz(TIME_ZONE).subtract(1, 'day').format('YYYY-MM-DD');
}

/** POST /api/settlement/runs/ body from the date picker's value. */
export function runCreatePayload(cutoff: { format(template: string): string } | string): {
  cutoff: string;
} {
  return { cutoff: typeof cutoff === 'string' ? cutoff.slice(0, 10) : cutoff.format('YYYY-MM-DD') };
}

/** POST /api/settlement/payouts/ body: each selected statement once, in id order. */
export function payoutCreatePayload(ids: readonly number[]): { statements: number[] } {
  return { statements: [...new Set(ids)].sort((a, b) => a - b) };
}

/** Statements of a selection that may be approved (drafts). */
export function approvable(statements: readonly Statement[]): number[] {
  return statements.filter((s) => s.state === 'draft').map((s) => s.id);
}

/** The exact total of amounts in one currency, for a confirmation; null when currencies differ. */
export function totalOf(amounts: readonly Money[]): Money | null {
  if (amounts.length === 0) return { amount: '0.00', currency: 'CNY' };
  const currency = amounts[0].currency;
  if (amounts.some((m) => m.currency !== currency)) return null;
  return sumMoney([...amounts], currency);
}

/** Statements of a selection that may be paid (approved with a positive closing). */
export function payable(statements: readonly Statement[]): number[] {
  return statements.filter((s) => s.state === 'approved' && sign(s.closing) > 0).map((s) => s.id);
}

/** -1, 0 or 1, exactly. */
export function sign(money: Money): -1 | 0 | 1 {
  const minor = toMinorUnits(money.amount, money.currency);
  return minor === 0n ? 0 : minor > 0n ? 1 : -1;
}

/**
 * The backend writes its messages in both languages: "结算单未审批 / the statement is not
 * approved". Show the half of the reader's language; a message without the separator as sent.
 */
export function inLanguage(text: string, language: 'zh' | 'en'): string {
  const at = text.indexOf(' / ');
  if (at < 0) return text;
  return (language === 'zh' ? text.slice(0, at) : text.slice(at + 3)).trim() || text;
}

export interface SkippedRow {
  statement: number;
  payee: string;
  reason: string;
}

/** The statements a payout request left out, with their payee's name and the reason in one language. */
export function skippedRows(
  skipped: readonly Skipped[],
  statements: readonly Pick<Statement, 'id' | 'payee_name'>[],
  language: 'zh' | 'en',
): SkippedRow[] {
  const names = new Map(statements.map((s) => [s.id, s.payee_name]));
  return skipped.map((row) => ({
    statement: row.statement,
    payee: names.get(row.statement) ?? '',
    reason: inLanguage(row.reason, language),
  }));
}

export const BALANCE_KEYS = [
  'opening',
  'earnings',
  'clawbacks',
  'other',
  'closing',
  'at_source',
] as const;
export type BalanceKey = (typeof BALANCE_KEYS)[number];

/** Totals of the statements' money columns, per currency, exact. */
export function statementTotals(
  statements: readonly Statement[],
): { currency: string; totals: Record<BalanceKey, Money> }[] {
  const byCurrency = new Map<string, Record<BalanceKey, bigint>>();
  for (const s of statements) {
    const sums =
      byCurrency.get(s.currency) ??
      (Object.fromEntries(BALANCE_KEYS.map((k) => [k, 0n])) as Record<BalanceKey, bigint>);
    for (const key of BALANCE_KEYS) sums[key] += toMinorUnits(s[key].amount, s[key].currency);
    byCurrency.set(s.currency, sums);
  }
  return [...byCurrency.entries()].map(([currency, sums]) => ({
    currency,
    totals: Object.fromEntries(
      BALANCE_KEYS.map((k) => [k, { amount: fromMinorUnits(sums[k], currency), currency }]),
    ) as Record<BalanceKey, Money>,
  }));
}

export const EARNING_KEYS = [
  'estimated',
  'settled',
  'estimated_at_source',
  'settled_at_source',
  'balance',
] as const;
export type EarningKey = (typeof EARNING_KEYS)[number];

/** The earnings of every payee a login covers (its organization and its anchors), summed exactly. */
export function earningsTotals(rows: readonly EarningsRow[]): Record<EarningKey, Money> & {
  lines_pending: number;
} {
  const sums = Object.fromEntries(EARNING_KEYS.map((k) => [k, 0n])) as Record<EarningKey, bigint>;
  let pending = 0;
  for (const row of rows) {
    for (const key of EARNING_KEYS) sums[key] += toMinorUnits(row[key].amount, row[key].currency);
    pending += row.lines_pending;
  }
  const currency = rows[0]?.estimated.currency ?? 'CNY';
  return {
    ...(Object.fromEntries(
      EARNING_KEYS.map((k) => [k, { amount: fromMinorUnits(sums[k], currency), currency }]),
    ) as Record<EarningKey, Money>),
    lines_pending: pending,
  };
}

/**
 * A chart's bar height for an amount. Only the drawing uses a float; every figure shown as text
 * comes from formatMoney.
 */
export function chartValue(money: Money): number {
  return Number(fromMinorUnits(toMinorUnits(money.amount, money.currency), money.currency));
}

export interface PayeeForm {
  rail: 'bank' | 'stripe';
  bank_account_name?: string;
  bank_account_number?: string;
  bank_name?: string;
  stripe_account_id?: string;
  on_hold?: boolean;
  hold_reason?: string;
}

export type PayeeRequest = {
  organization: number | null;
  anchor: number | null;
} & Required<PayeeForm>;

/**
 * POST /api/settlement/payees/ body: the party (exactly one of organization and anchor) and its
 * details, trimmed; the other rail's fields are sent blank so a switch of rail leaves no stale
 * account behind, and a hold reason only while on hold.
 */
export function payeePayload(
  party: { organization?: number | null; anchor?: number | null },
  form: PayeeForm,
): PayeeRequest {
  const text = (value: string | undefined) => (value ?? '').trim();
  const bank = form.rail === 'bank';
  const onHold = Boolean(form.on_hold);
  return {
    organization: party.organization ?? null,
    anchor: party.organization ? null : (party.anchor ?? null),
    rail: form.rail,
    bank_account_name: bank ? text(form.bank_account_name) : '',
    bank_account_number: bank ? text(form.bank_account_number).replace(/\s+/g, '') : '',
    bank_name: bank ? text(form.bank_name) : '',
    stripe_account_id: bank ? '' : text(form.stripe_account_id),
    on_hold: onHold,
    hold_reason: onHold ? text(form.hold_reason) : '',
  };
}

/** Where a file is downloaded from (plain links carry the session cookie). */
export function statementDownloadUrl(id: number, fmt: 'pdf' | 'csv' | 'xlsx'): string {
  return `/api/settlement/statements/${id}/download/?fmt=${fmt}`;
}

export function runExportUrl(id: number, fmt: 'csv' | 'xlsx'): string {
  return `/api/settlement/runs/${id}/export/?fmt=${fmt}`;
}

export function batchFileUrl(id: number): string {
  return `/api/settlement/payout-batches/${id}/file/`;
}

/** The ledger feature's page of a journal entry. */
export function entryPath(id: number): string {
  return `/ledger/entries/${id}`;
}

export interface ChartSeries {
  labels: string[];
  series: { key: string; name: string; stack: string; values: number[] }[];
}

/**
 * Bars per payee: estimated next to settled, each stacked by who pays — the operator, or the
 * platform directly (at source).
 */
export function earningsChart(
  rows: readonly EarningsRow[],
  names: Record<'estimated' | 'settled' | 'estimatedAtSource' | 'settledAtSource', string>,
): ChartSeries {
  return {
    labels: rows.map((row) => row.payee_name),
    series: [
      {
        key: 'estimated',
        name: names.estimated,
        stack: 'estimated',
        values: rows.map((r) => chartValue(r.estimated)),
      },
      {
        key: 'estimatedAtSource',
        name: names.estimatedAtSource,
        stack: 'estimated',
        values: rows.map((r) => chartValue(r.estimated_at_source)),
      },
      {
        key: 'settled',
        name: names.settled,
        stack: 'settled',
        values: rows.map((r) => chartValue(r.settled)),
      },
      {
        key: 'settledAtSource',
        name: names.settledAtSource,
        stack: 'settled',
        values: rows.map((r) => chartValue(r.settled_at_source)),
      },
    ],
  };
}

/** Exact sum of amounts in one currency. */
export function sumOf(amounts: readonly Money[]): Money {
  const currency = amounts[0]?.currency ?? 'CNY';
  let total = 0n;
  for (const m of amounts) total += toMinorUnits(m.amount, m.currency);
  return { amount: fromMinorUnits(total, currency), currency };
}

// ---- contracts and platform terms ----

export type ContractMode = 'consignment' | 'buyout';
export type FeeKind = 'colonel' | 'logistics' | 'ops_agency';
export type FeeBasis = 'per_unit' | 'per_order' | 'percent';

/** The contract form as typed: margin in %, fees in ¥ (per unit / order) or % of the basis. */
export interface ContractForm {
  brand: number;
  plan_id?: number | null;
  mode: ContractMode;
  margin_pct: string;
  valid_from: Dayjs;
  fees?: { payee: number; kind: FeeKind; basis: FeeBasis; value: string }[];
}

export interface ContractRequest {
  brand: number;
  plan_id: number | null;
  mode: ContractMode;
  operator_margin_bps: number;
  valid_from: string;
  fees: { payee: number; kind: FeeKind; basis: FeeBasis; value: number }[];
}

/** "12.5" (%) → 1250 basis points; "3" (¥) → 300 fen. Both are hundredths, without floats. */
export function hundredths(value: string | number): number {
  return Number(toMinorUnits(String(value).trim(), 'CNY'));
}

/** 1250 → "12.50" (the % of bps, or the ¥ of fen) for the form's initial values. */
export function fromHundredths(value: number): string {
  return fromMinorUnits(BigInt(Math.trunc(value)), 'CNY');
}

/** POST /api/settlement/contracts/ body: integers only (bps and fen), the start as an instant. */
export function contractPayload(form: ContractForm): ContractRequest {
  return {
    brand: form.brand,
    plan_id: form.plan_id ?? null,
    mode: form.mode,
    operator_margin_bps: hundredths(form.margin_pct),
    valid_from: fromPicker(form.valid_from),
    fees: (form.fees ?? []).map((fee) => ({
      payee: fee.payee,
      kind: fee.kind,
      basis: fee.basis,
      value: hundredths(fee.value),
    })),
  };
}

export interface TermsForm {
  service_fee_pct: string;
  after_sale_days: number;
  categories?: { code: string; pct: string }[];
}

/** PATCH /api/settlement/platform-terms/{id}/ body. */
export function termsPayload(form: TermsForm) {
  const category_fee_bps: Record<string, number> = {};
  for (const row of form.categories ?? []) {
    const code = (row.code ?? '').trim();
    if (code) category_fee_bps[code] = hundredths(row.pct);
  }
  return {
    service_fee_bps: hundredths(form.service_fee_pct),
    after_sale_days: Math.trunc(Number(form.after_sale_days)),
    category_fee_bps,
  };
}

/** A backend field name ("fees[1].value", "valid_from") → an antd form path. */
export function fieldPath(name: string): (string | number)[] {
  return name
    .split(/[.[\]]+/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Show a fee value in its unit: ¥ for per unit / per order, % for percent. */
export function feeValueText(basis: string, value: number): string {
  return basis === 'percent' ? `${fromHundredths(value)}%` : `¥${fromHundredths(value)}`;
}

/** One row of the phases editor: the amount as typed (yuan) and the day it becomes settleable. */
export interface PhaseRow {
  amount?: string;
  settleable_on?: { format(template: string): string } | null;
}

/** PUT /api/settlement/lines/{id}/phases/ body: the rows in order, money as decimal strings. */
export function phasesPayload(
  rows: readonly PhaseRow[],
  currency: string,
): { phases: { amount: { amount: string; currency: string }; settleable_on: string }[] } {
  return {
    phases: rows.map((row) => ({
      amount: { amount: (row.amount ?? '').trim(), currency },
      settleable_on: row.settleable_on ? row.settleable_on.format('YYYY-MM-DD') : '',
    })),
  };
}

/** The sum of the rows' amounts, exact; null while an amount is empty or not a number. */
export function phasesSum(rows: readonly PhaseRow[], currency: string): Money | null {
  let total = 0n;
  for (const row of rows) {
    const text = (row.amount ?? '').trim();
    if (!/^\d+(\.\d+)?$/.test(text)) return null;
    total += toMinorUnits(text, currency);
  }
  return { amount: fromMinorUnits(total, currency), currency };
}

/**
 * Where a server error on the phases belongs: "phases[1].settleable_on" → row 1's date,
 * "phases[0].amount" or "phases[0].amount.currency" → row 0's amount; anything else
 * ("phases", a non-field error) belongs to the whole schedule (null).
 */
export function phaseErrorPath(
  name: string,
): ['phases', number, 'amount' | 'settleable_on'] | null {
  const match = /^phases\[(\d+)\]\.(amount|settleable_on)(\..*)?$/.exec(name);
  return match ? ['phases', Number(match[1]), match[2] as 'amount' | 'settleable_on'] : null;
}

/** Every rejected row of an order import (the detail shows the first 500), as a file. */
export function batchRejectedExportUrl(batchId: number, fmt: ExportFormat): string {
  return exportUrl(`/api/orders/batches/${batchId}/rejected-rows/export/`, fmt);
}

/** The order lines waiting for review, every page, optionally of one platform. */
export function problemLinesExportUrl(fmt: ExportFormat, platform?: string): string {
  return exportUrl('/api/settlement/problem-lines/export/', fmt, { platform });
}
