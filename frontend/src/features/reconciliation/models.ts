/** Shapes of the reconciliation API (backend/shuxuan/reconciliation/serializers.py), from the
 * generated client, plus the enums the screens offer as choices. */
import type { components } from '@/api/schema';

type Schemas = components['schemas'];

export type Board = Schemas['Board'];
export type BoardSource = Schemas['BoardSource'];
export type HistoryRow = Schemas['HistoryRow'];
export type BillImport = Schemas['BillImport'];
export type ReconRun = Schemas['ReconRun'];
export type ReconException = Schemas['Exception'];
export type ExceptionDetail = Schemas['ExceptionDetail'];
export type Note = Schemas['Note'];
export type PeriodClose = Schemas['PeriodClose'];
export type Source = Schemas['StatementSourceEnum'];
export type Reason = Schemas['MatchOutcomeEnum'];
export type ExceptionState = Schemas['ExceptionStateEnum'];
export type Resolution = Schemas['ExceptionResolutionEnum'];

export const SOURCES: readonly Source[] = [
  'douyin',
  'kuaishou',
  'taobao',
  'wechat',
  'bank',
  'stripe',
];
export const REASONS: readonly Reason[] = [
  'amount_mismatch',
  'fee_mismatch',
  'commission_mismatch',
  'missing_in_ledger',
  'missing_in_bill',
  'duplicate_in_bill',
];
export const EXCEPTION_STATES: readonly ExceptionState[] = [
  'open',
  'pending_approval',
  'accepted',
  'timing',
  'disputed',
  'written_off',
  'cleared',
];
export const RESOLUTIONS: readonly Resolution[] = ['accept', 'timing', 'dispute', 'write_off'];

/** What an upload answers. The view sends the import's id as `import` (the schema says `import_id`). */
export type ImportReport = Schemas['BillImportReport'] & { import?: number | null };

export interface RejectedLine {
  line: number;
  reason: string;
}

export function rejectedLines(value: unknown): RejectedLine[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null)
    .map((row) => ({ line: Number(row.line ?? 0), reason: String(row.reason ?? '') }));
}

/** A bill line as the exception's `sides.bill` lists it (amounts in fen). */
export interface SideBillLine {
  id: number;
  natural_key: string;
  line_no: number;
  occurred_on: string;
  order_id: string;
  request_no: string;
  reference: string;
  phase: string;
  gross_minor: number;
  fee_minor: number;
  commission_minor: number;
  net_minor: number;
  currency: string;
}

/** A settled leg as `sides.ledger` lists it (platform sources); bank/Stripe list payout ids. */
export interface SideLedgerLeg {
  line_id?: number;
  order_id?: string;
  run?: number;
  kind?: string;
  settled_by?: string;
  amount_minor?: number;
  entry_id?: number | null;
  currency?: string;
  payout_id?: number;
}

export interface Sides {
  bill: SideBillLine[];
  ledger: SideLedgerLeg[];
}

export function sidesOf(detail: ExceptionDetail | undefined): Sides {
  const sides = (detail?.sides ?? {}) as Partial<Sides>;
  return {
    bill: Array.isArray(sides.bill) ? sides.bill : [],
    ledger: Array.isArray(sides.ledger) ? sides.ledger : [],
  };
}

/** The compared figures kept on the exception (`detail.bill` / `detail.ledger`, fen). */
export interface ComparedFigures {
  gross?: number;
  fee?: number;
  commission?: number;
  net?: number;
}

export function comparedOf(exception: Pick<ReconException, 'detail'> | undefined): {
  bill: ComparedFigures;
  ledger: ComparedFigures;
} {
  const detail = (exception?.detail ?? {}) as { bill?: ComparedFigures; ledger?: ComparedFigures };
  return { bill: detail.bill ?? {}, ledger: detail.ledger ?? {} };
}

export interface UserChoice {
  id: number;
  username: string;
  display_name?: string;
  roles?: string[];
}
