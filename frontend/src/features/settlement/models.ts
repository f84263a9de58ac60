/** Zod schemas of the settlement and order-import APIs (backend/shuxuan/settlement/serializers.py,
 * backend/shuxuan/orders/serializers.py). */
import { z } from 'zod';
import { moneySchema, paginated } from '@/api/models';

export const RUN_STATES = ['pending', 'running', 'done', 'failed'] as const;
export const STATEMENT_STATES = ['draft', 'approved'] as const;
export const PAYEE_KINDS = ['organization', 'anchor'] as const;
export const PAYOUT_STATES = ['pending', 'sent', 'paid', 'failed'] as const;
export const RAILS = ['bank', 'stripe'] as const;
export const ADVANCE_STATES = ['open', 'recovered', 'written_off'] as const;
export const IMPORT_PLATFORMS = ['douyin', 'kuaishou', 'taobao', 'wechat', 'generic'] as const;

export type StatementState = (typeof STATEMENT_STATES)[number];
export type PayeeKind = (typeof PAYEE_KINDS)[number];
export type PayoutState = (typeof PAYOUT_STATES)[number];
export type Rail = (typeof RAILS)[number];
export type ImportPlatform = (typeof IMPORT_PLATFORMS)[number];

export const runSchema = z.object({
  id: z.number(),
  cutoff: z.string(),
  state: z.string(),
  lines_total: z.number().nullish(),
  lines_done: z.number().default(0),
  lines_settled: z.number().default(0),
  lines_clawed_back: z.number().default(0),
  lines_problem: z.number().default(0),
  statements: z.number().default(0),
  progress: z.number(),
  error: z.string().nullish(),
  requested_by_name: z.string().nullish(),
  created_at: z.string(),
  started_at: z.string().nullish(),
  heartbeat_at: z.string().nullish(),
  finished_at: z.string().nullish(),
});
export type Run = z.infer<typeof runSchema>;

export const statementSchema = z.object({
  id: z.number(),
  run: z.number(),
  cutoff: z.string(),
  payee_kind: z.string(),
  payee_org_kind: z.string().nullish(),
  organization: z.number().nullish(),
  anchor: z.number().nullish(),
  payee_name: z.string(),
  currency: z.string(),
  account_id: z.number(),
  opening: moneySchema,
  earnings: moneySchema,
  clawbacks: moneySchema,
  other: moneySchema,
  closing: moneySchema,
  at_source: moneySchema,
  /** Producers: the basis settled of their lines, and what the other legs took from it. */
  gross: moneySchema.nullish(),
  fees: moneySchema.nullish(),
  lines: z.number().default(0),
  state: z.string(),
  approved_at: z.string().nullish(),
  /** Null for a party reading a statement the operator approved (its staff are not named). */
  approved_by_name: z.string().nullish(),
  created_at: z.string(),
});
export type Statement = z.infer<typeof statementSchema>;

export const statementMovementSchema = z.object({
  entry_id: z.number(),
  source_type: z.string(),
  /** "中文 / English": 采购单 PO1 买断货款 / buy-out purchase order PO1. */
  label: z.string(),
  effective_date: z.string(),
  amount: moneySchema,
});
export type StatementMovement = z.infer<typeof statementMovementSchema>;

export const statementDetailSchema = statementSchema.extend({
  by_leg: z.array(z.object({ kind: z.string(), settled_by: z.string(), total: moneySchema })),
  /** What makes up `other`, each movement named. */
  movements: z.array(statementMovementSchema).default([]),
});
export type StatementDetail = z.infer<typeof statementDetailSchema>;

export const legSchema = z.object({
  id: z.number(),
  line_id: z.number(),
  order_id: z.string(),
  kind: z.string(),
  settled_by: z.string(),
  amount: moneySchema,
  entry_id: z.number().nullish(),
});
export type Leg = z.infer<typeof legSchema>;

export const payoutSchema = z.object({
  id: z.number(),
  statement: z.number(),
  payee_name: z.string(),
  rail: z.string(),
  amount: moneySchema,
  attempt: z.number().default(1),
  state: z.string(),
  batch: z.number().nullish(),
  external_id: z.string().nullish(),
  failure_reason: z.string().nullish(),
  entry_id: z.number().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Payout = z.infer<typeof payoutSchema>;

export const skippedSchema = z.object({ statement: z.number(), reason: z.string() });
export type Skipped = z.infer<typeof skippedSchema>;

export const payoutPlanSchema = z.object({
  created: z.array(payoutSchema),
  skipped: z.array(skippedSchema),
});
export type PayoutPlan = z.infer<typeof payoutPlanSchema>;

export const payoutBatchSchema = z.object({
  id: z.number(),
  created_at: z.string(),
  created_by_name: z.string().nullish(),
  payouts: z.number(),
  total: moneySchema,
  result_sha256: z.string().nullish(),
});
export type PayoutBatch = z.infer<typeof payoutBatchSchema>;

export const resultReportSchema = z.object({
  batch: z.number(),
  paid: z.number(),
  failed: z.number(),
  unchanged: z.number(),
});
export type ResultReport = z.infer<typeof resultReportSchema>;

/** A bad row of a refused bank result file: line in the file, column (业务参考号 / 状态), reason. */
export const resultRejectionSchema = z.object({
  line: z.number(),
  field: z.string(),
  reason: z.string(),
});
export type ResultRejection = z.infer<typeof resultRejectionSchema>;

/** 400 from the result import when rows are bad: nothing was changed. */
export const resultRefusedSchema = z.object({
  detail: z.string(),
  code: z.string(),
  rejected: z.array(resultRejectionSchema),
});

export const phaseSchema = z.object({
  phase: z.number(),
  basis: moneySchema,
  settleable_on: z.string(),
});
export type Phase = z.infer<typeof phaseSchema>;

/** GET/PUT /api/settlement/lines/{line_id}/phases/ (deposit 定金, then balance 尾款). */
export const linePhasesSchema = z.object({
  line: z.number(),
  platform: z.string(),
  order_id: z.string(),
  full_basis: moneySchema,
  settled_basis: moneySchema,
  phases: z.array(phaseSchema),
});
export type LinePhases = z.infer<typeof linePhasesSchema>;

export const advanceSchema = z.object({
  id: z.number(),
  statement: z.number(),
  payee_name: z.string(),
  amount: moneySchema,
  recovered: moneySchema,
  written_off: moneySchema,
  state: z.string(),
  reason: z.string().nullish(),
  created_at: z.string(),
  closed_at: z.string().nullish(),
});
export type Advance = z.infer<typeof advanceSchema>;

export const earningsRowSchema = z.object({
  payee_kind: z.string(),
  payee_id: z.number(),
  payee_name: z.string(),
  estimated: moneySchema,
  estimated_at_source: moneySchema,
  settled: moneySchema,
  settled_at_source: moneySchema,
  balance: moneySchema,
  lines_pending: z.number(),
});
export type EarningsRow = z.infer<typeof earningsRowSchema>;

export const importBatchSchema = z.object({
  id: z.number(),
  source: z.string(),
  kind: z.string(),
  file_name: z.string(),
  uploaded_by: z.string().nullish(),
  state: z.string(),
  rows_total: z.number().nullish(),
  rows_done: z.number().default(0),
  progress: z.number().nullish(),
  created: z.number().default(0),
  updated: z.number().default(0),
  unchanged: z.number().default(0),
  rejected: z.number().default(0),
  unattributed: z.number().default(0),
  error: z.string().nullish(),
  created_at: z.string(),
  finished_at: z.string().nullish(),
  // Only on GET /api/orders/batches/{id}/ (the OpenAPI schema does not list it).
  rejected_rows: z.array(z.object({ line: z.number(), reason: z.string() })).optional(),
});
export type ImportBatch = z.infer<typeof importBatchSchema>;

export const problemLineSchema = z.object({
  id: z.number(),
  platform: z.string(),
  order_id: z.string().nullish(),
  basis: moneySchema,
  problem: z.string(),
  frozen_at: z.string().nullish(),
});
export type ProblemLine = z.infer<typeof problemLineSchema>;

export const payeeSchema = z.object({
  id: z.number(),
  payee_kind: z.string(),
  organization: z.number().nullish(),
  anchor: z.number().nullish(),
  rail: z.string().default('bank'),
  bank_account_name: z.string().default(''),
  bank_account_number: z.string().default(''),
  bank_name: z.string().default(''),
  stripe_account_id: z.string().default(''),
  on_hold: z.boolean().default(false),
  hold_reason: z.string().default(''),
});
export type Payee = z.infer<typeof payeeSchema>;

/** A party's name, from the parties API (a payee row carries only the id). */
export const partyNameSchema = z.object({ id: z.number(), name: z.string() });

export const pages = {
  payees: paginated(payeeSchema),
  partyNames: paginated(partyNameSchema),
  problemLines: paginated(problemLineSchema),
  runs: paginated(runSchema),
  statements: paginated(statementSchema),
  legs: paginated(legSchema),
  payouts: paginated(payoutSchema),
  batches: paginated(payoutBatchSchema),
  advances: paginated(advanceSchema),
  imports: paginated(importBatchSchema),
};
