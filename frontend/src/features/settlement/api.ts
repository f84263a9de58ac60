import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { api, ApiError } from '@/api/client';
import type { Paginated } from '@/api/models';
import type { components } from '@/api/schema';
import {
  advanceSchema,
  earningsRowSchema,
  importBatchSchema,
  linePhasesSchema,
  pages,
  payoutBatchSchema,
  payoutPlanSchema,
  payeeSchema,
  payoutSchema,
  resultRefusedSchema,
  resultReportSchema,
  runSchema,
  statementDetailSchema,
  statementSchema,
  type ImportBatch,
  type ImportPlatform,
  type LinePhases,
  type PayeeKind,
  type PayoutState,
  type Rail,
  type ResultRejection,
  type ResultReport,
  type Run,
  type Statement,
  type StatementState,
} from './models';
import {
  importPollInterval,
  payoutCreatePayload,
  runCreatePayload,
  runsPollInterval,
  type ContractRequest,
  type termsPayload,
  type PayeeRequest,
} from './logic';

export const PAGE_SIZE = 20;

/**
 * Messages of one field; nested serializer errors (`fees: [{}, {value: ["…"]}]`) become
 * "fees[1].value" like the services' own field names.
 */
function collectFieldErrors(key: string, value: unknown, into: Record<string, string[]>) {
  const list = Array.isArray(value) ? value : [value];
  const messages = list.filter((m): m is string => typeof m === 'string');
  if (messages.length > 0) into[key] = messages;
  list.forEach((item, index) => {
    if (item && typeof item === 'object' && !Array.isArray(item)) {
      const prefix = Array.isArray(value) ? `${key}[${index}]` : key;
      for (const [child, nested] of Object.entries(item as Record<string, unknown>)) {
        collectFieldErrors(`${prefix}.${child}`, nested, into);
      }
    }
  });
}

/** An API error that keeps the backend's per-field messages ({detail, code, errors: {field: […]}}). */
export class SettlementApiError extends ApiError {
  readonly fields: Record<string, string[]>;

  constructor(status: number, body: unknown) {
    const fields: Record<string, string[]> = {};
    let detail: string | null = null;
    if (body && typeof body === 'object') {
      const record = body as Record<string, unknown>;
      if (typeof record.detail === 'string') detail = record.detail;
      const source =
        record.errors && typeof record.errors === 'object'
          ? (record.errors as Record<string, unknown>)
          : record;
      for (const [key, value] of Object.entries(source)) {
        if (key === 'detail' || key === 'code') continue;
        collectFieldErrors(key, value, fields);
      }
    }
    super(status, detail ?? Object.values(fields)[0]?.[0] ?? null);
    this.name = 'SettlementApiError';
    this.fields = fields;
  }
}

function take<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok || result.error !== undefined) {
    throw new SettlementApiError(result.response.status, result.error);
  }
  return result.data as T;
}

/** Text for an error toast or alert. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function useInvalidateSettlement() {
  const client = useQueryClient();
  return async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: ['settlement'] }),
      client.invalidateQueries({ queryKey: ['ledger'] }),
    ]);
  };
}

// ---- runs ----

export function useRuns(page: number) {
  return useQuery({
    queryKey: ['settlement', 'runs', page],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<Run>> =>
      pages.runs.parse(
        take(
          await api.GET('/api/settlement/runs/', {
            params: { query: { page, page_size: PAGE_SIZE } },
          }),
        ),
      ),
    refetchInterval: (query) => runsPollInterval(query.state.data?.results),
  });
}

/** Every run, newest first, for the statements page's run filter. */
export function useRunChoices() {
  return useQuery({
    queryKey: ['settlement', 'runs', 'choices'],
    staleTime: 10_000,
    queryFn: async (): Promise<Run[]> =>
      pages.runs.parse(
        take(await api.GET('/api/settlement/runs/', { params: { query: { page_size: 200 } } })),
      ).results,
  });
}

export function useStartRun() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (cutoff: Parameters<typeof runCreatePayload>[0]) =>
      runSchema.parse(
        take(await api.POST('/api/settlement/runs/', { body: runCreatePayload(cutoff) })),
      ),
    onSuccess: invalidate,
  });
}

export function useResumeRun() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (id: number) =>
      runSchema.parse(
        take(await api.POST('/api/settlement/runs/{id}/resume/', { params: { path: { id } } })),
      ),
    onSuccess: invalidate,
  });
}

/** Order lines that cannot be split (no SKU, deductions above the basis): every run leaves them out. */
export function useProblemLines(page: number) {
  return useQuery({
    queryKey: ['settlement', 'problem-lines', page],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.problemLines.parse(
        take(
          await api.GET('/api/settlement/problem-lines/', {
            params: { query: { page, page_size: PAGE_SIZE } },
          }),
        ),
      ),
  });
}

// ---- statements ----

export interface StatementFilters {
  run?: number;
  state?: StatementState;
  payee_kind?: PayeeKind;
  /** Approved, something owed, no payout in flight or paid: what the payout screen offers. */
  awaiting_payout?: boolean;
}

export function useStatements(page: number, filters: StatementFilters, pageSize = PAGE_SIZE) {
  return useQuery({
    queryKey: ['settlement', 'statements', page, pageSize, filters],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<Statement>> =>
      pages.statements.parse(
        take(
          await api.GET('/api/settlement/statements/', {
            params: { query: { page, page_size: pageSize, ...filters } },
          }),
        ),
      ),
  });
}

export function useStatement(id: number | null) {
  return useQuery({
    queryKey: ['settlement', 'statement', id],
    enabled: id !== null,
    queryFn: async () =>
      statementDetailSchema.parse(
        take(
          await api.GET('/api/settlement/statements/{id}/', {
            params: { path: { id: id as number } },
          }),
        ),
      ),
  });
}

export function useStatementLines(id: number | null, page: number) {
  return useQuery({
    queryKey: ['settlement', 'statement-lines', id, page],
    enabled: id !== null,
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.legs.parse(
        take(
          await api.GET('/api/settlement/statements/{id}/lines/', {
            params: { path: { id: id as number }, query: { page, page_size: PAGE_SIZE } },
          }),
        ),
      ),
  });
}

export interface ApproveOutcome {
  approved: Statement[];
  failed: { id: number; message: string }[];
}

/** Approve statements one after the other; a failure does not stop the others. */
export function useApproveStatements() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (ids: number[]): Promise<ApproveOutcome> => {
      const outcome: ApproveOutcome = { approved: [], failed: [] };
      for (const id of ids) {
        try {
          outcome.approved.push(
            statementSchema.parse(
              take(
                await api.POST('/api/settlement/statements/{id}/approve/', {
                  params: { path: { id } },
                }),
              ),
            ),
          );
        } catch (error) {
          outcome.failed.push({ id, message: errorMessage(error) });
        }
      }
      return outcome;
    },
    onSuccess: invalidate,
  });
}

// ---- payouts ----

export interface PayoutFilters {
  state?: PayoutState;
  rail?: Rail;
}

export function usePayouts(page: number, filters: PayoutFilters) {
  return useQuery({
    queryKey: ['settlement', 'payouts', page, filters],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.payouts.parse(
        take(
          await api.GET('/api/settlement/payouts/', {
            params: { query: { page, page_size: PAGE_SIZE, ...filters } },
          }),
        ),
      ),
  });
}

export function useCreatePayouts() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (ids: number[]) =>
      payoutPlanSchema.parse(
        take(await api.POST('/api/settlement/payouts/', { body: payoutCreatePayload(ids) })),
      ),
    onSuccess: invalidate,
  });
}

export function usePayoutAction() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async ({ id, action }: { id: number; action: 'retry' | 'send' }) => {
      const params = { path: { id } };
      const result =
        action === 'retry'
          ? await api.POST('/api/settlement/payouts/{id}/retry/', { params })
          : await api.POST('/api/settlement/payouts/{id}/send/', { params });
      return payoutSchema.parse(take(result));
    },
    onSuccess: invalidate,
  });
}

export function usePayoutBatches(page: number) {
  return useQuery({
    queryKey: ['settlement', 'payout-batches', page],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.batches.parse(
        take(
          await api.GET('/api/settlement/payout-batches/', {
            params: { query: { page, page_size: PAGE_SIZE } },
          }),
        ),
      ),
  });
}

export function useCreateBatch() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async () =>
      payoutBatchSchema.parse(
        take(await api.POST('/api/settlement/payout-batches/', { body: {} })),
      ),
    onSuccess: invalidate,
  });
}

/** The answer to a bank result file: applied, or refused whole with every bad row. */
export type ResultOutcome =
  | { kind: 'applied'; report: ResultReport }
  | { kind: 'refused'; detail: string; rejected: ResultRejection[] };

/** Upload the bank's result file; a file refused for bad rows (400 with `rejected`) is an
 * outcome, not an error. Any other failure (not a result file, no such batch) throws. */
export function useUploadBatchResults() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async ({ id, file }: { id: number; file: File }): Promise<ResultOutcome> => {
      const form = new FormData();
      form.append('file', file);
      const result = await api.POST('/api/settlement/payout-batches/{id}/results/', {
        params: { path: { id } },
        body: form as unknown as { file: string },
      });
      if (result.response.status === 400) {
        const refused = resultRefusedSchema.safeParse(result.error);
        if (refused.success) {
          return { kind: 'refused', detail: refused.data.detail, rejected: refused.data.rejected };
        }
      }
      return { kind: 'applied', report: resultReportSchema.parse(take(result)) };
    },
    onSuccess: (outcome) => {
      if (outcome.kind === 'applied') void invalidate();
    },
  });
}

// ---- phases of a line (定金 / 尾款) ----

export interface PhasesPayload {
  phases: { amount: { amount: string; currency: string }; settleable_on: string }[];
}

export function useLinePhases(lineId: number | null) {
  return useQuery({
    queryKey: ['settlement', 'line-phases', lineId],
    enabled: lineId !== null,
    queryFn: async (): Promise<LinePhases> =>
      linePhasesSchema.parse(
        take(
          await api.GET('/api/settlement/lines/{line_id}/phases/', {
            params: { path: { line_id: lineId as number } },
          }),
        ),
      ),
  });
}

export function useSetLinePhases() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async ({ lineId, body }: { lineId: number; body: PhasesPayload }) =>
      linePhasesSchema.parse(
        take(
          await api.PUT('/api/settlement/lines/{line_id}/phases/', {
            params: { path: { line_id: lineId } },
            body,
          }),
        ),
      ),
    onSuccess: invalidate,
  });
}

export function useClearLinePhases() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (lineId: number) => {
      take(
        await api.DELETE('/api/settlement/lines/{line_id}/phases/', {
          params: { path: { line_id: lineId } },
        }),
      );
    },
    onSuccess: invalidate,
  });
}

// ---- advances ----

export function useAdvances(page: number, state?: 'open' | 'recovered' | 'written_off') {
  return useQuery({
    queryKey: ['settlement', 'advances', page, state],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.advances.parse(
        take(
          await api.GET('/api/settlement/advances/', {
            params: { query: { page, page_size: PAGE_SIZE, state } },
          }),
        ),
      ),
  });
}

export function useOpenAdvance() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (body: { statement: number; reason: string }) =>
      advanceSchema.parse(
        take(
          await api.POST('/api/settlement/advances/', {
            body: { statement: body.statement, reason: body.reason.trim() },
          }),
        ),
      ),
    onSuccess: invalidate,
  });
}

export function useWriteOffAdvance() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async ({ id, reason }: { id: number; reason: string }) =>
      advanceSchema.parse(
        take(
          await api.POST('/api/settlement/advances/{id}/write-off/', {
            params: { path: { id } },
            body: { reason: reason.trim() },
          }),
        ),
      ),
    onSuccess: invalidate,
  });
}

// ---- payees ----

export function usePayees(page: number, onHold?: boolean) {
  return useQuery({
    queryKey: ['settlement', 'payees', page, onHold],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.payees.parse(
        take(
          await api.GET('/api/settlement/payees/', {
            params: { query: { page, page_size: PAGE_SIZE, on_hold: onHold } },
          }),
        ),
      ),
  });
}

/** Names of organizations and anchors by id, for the payees table (payee rows carry ids only). */
export function usePartyNames() {
  return useQuery({
    queryKey: ['settlement', 'party-names'],
    staleTime: 5 * 60_000,
    queryFn: async () => {
      const [organizations, anchors] = await Promise.all([
        api.GET('/api/parties/organizations/', { params: { query: { page_size: 500 } } }),
        api.GET('/api/parties/anchors/', { params: { query: { page_size: 500 } } }),
      ]);
      const names = (result: { data?: unknown; error?: unknown; response: Response }) =>
        new Map(pages.partyNames.parse(take(result)).results.map((p) => [p.id, p.name]));
      return { organizations: names(organizations), anchors: names(anchors) };
    },
  });
}

export function useSetPayee() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (body: PayeeRequest) =>
      payeeSchema.parse(take(await api.POST('/api/settlement/payees/', { body }))),
    onSuccess: invalidate,
  });
}

// ---- earnings ----

export function useEarnings() {
  return useQuery({
    queryKey: ['settlement', 'earnings'],
    queryFn: async () =>
      z.array(earningsRowSchema).parse(take(await api.GET('/api/settlement/earnings/'))),
  });
}

// ---- order imports ----

export function useImportBatches(page: number) {
  return useQuery({
    queryKey: ['settlement', 'imports', page],
    placeholderData: keepPreviousData,
    queryFn: async () =>
      pages.imports.parse(
        take(
          await api.GET('/api/orders/batches/', {
            params: { query: { page, page_size: PAGE_SIZE, kind: 'file' } },
          }),
        ),
      ),
    refetchInterval: (query) =>
      query.state.data?.results.some((b) => b.state === 'pending' || b.state === 'running')
        ? 3000
        : false,
  });
}

/** One import, polled until it is done or failed. */
export function useImportBatch(id: number | null) {
  return useQuery({
    queryKey: ['settlement', 'import', id],
    enabled: id !== null,
    queryFn: async (): Promise<ImportBatch> =>
      importBatchSchema.parse(
        take(
          await api.GET('/api/orders/batches/{id}/', { params: { path: { id: id as number } } }),
        ),
      ),
    refetchInterval: (query) => importPollInterval(query.state.data),
  });
}

export function useUploadOrders() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ platform, file }: { platform: ImportPlatform; file: File }) => {
      const form = new FormData();
      form.append('platform', platform);
      form.append('file', file);
      const result = await api.POST('/api/orders/batches/', {
        body: form as unknown as { platform: ImportPlatform; file: string },
      });
      return {
        batch: importBatchSchema.parse(take(result)),
        reused: result.response.status === 200,
      };
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['settlement', 'imports'] }),
  });
}

// ---- contracts and platform terms ----

export type Contract = components['schemas']['Contract'];
export type PlatformTerms = components['schemas']['PlatformTerms'];

export function useContracts(page: number) {
  return useQuery({
    queryKey: ['settlement', 'contracts', page],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<Contract>> =>
      take(
        await api.GET('/api/settlement/contracts/', {
          params: { query: { page, page_size: PAGE_SIZE } },
        }),
      ),
  });
}

export function useCreateContract() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async (body: ContractRequest): Promise<Contract> =>
      take(await api.POST('/api/settlement/contracts/', { body })),
    onSuccess: invalidate,
  });
}

/** Organizations to choose from: brands for a contract, any organization as a fee's payee. */
export function useOrganizations(kind?: 'brand') {
  return useQuery({
    queryKey: ['settlement', 'organizations', kind ?? 'all'],
    staleTime: 5 * 60_000,
    queryFn: async () =>
      pages.partyNames.parse(
        take(
          await api.GET('/api/parties/organizations/', {
            params: { query: { page_size: 500, ...(kind ? { kind } : {}) } },
          }),
        ),
      ).results,
  });
}

export function usePlatformTerms() {
  return useQuery({
    queryKey: ['settlement', 'platform-terms'],
    queryFn: async (): Promise<PlatformTerms[]> => {
      const body: unknown = take(await api.GET('/api/settlement/platform-terms/'));
      return Array.isArray(body)
        ? (body as PlatformTerms[])
        : (body as Paginated<PlatformTerms>).results;
    },
  });
}

export function useUpdatePlatformTerms() {
  const invalidate = useInvalidateSettlement();
  return useMutation({
    mutationFn: async ({ id, body }: { id: number; body: ReturnType<typeof termsPayload> }) =>
      take(
        await api.PATCH('/api/settlement/platform-terms/{id}/', { params: { path: { id } }, body }),
      ) as PlatformTerms,
    onSuccess: invalidate,
  });
}
