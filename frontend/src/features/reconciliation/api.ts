import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '@/api/client';
import type { Paginated } from '@/api/models';
import { importPollInterval } from '@/lib/importJob';
import {
  bulkPayload,
  closePayload,
  exceptionQuery,
  newestId,
  resolvePayload,
  runsAfter,
  type ExceptionFilters,
} from './logic';
import { SOURCES } from './models';
import type {
  BillImport,
  Board,
  ExceptionDetail,
  HistoryRow,
  ImportReport,
  Note,
  PeriodClose,
  ReconException,
  ReconRun,
  Resolution,
  Source,
  UserChoice,
} from './models';

export const PAGE_SIZE = 20;
/** How often the runs are asked again while a queued reconcile has not reported. */
export const POLL_MS = 1500;

/** An API error that keeps the backend's per-field messages ({detail, code, errors: {field: […]}}). */
export class ReconApiError extends ApiError {
  readonly fields: Record<string, string[]>;
  readonly code: string | null;

  constructor(status: number, body: unknown) {
    const fields: Record<string, string[]> = {};
    let detail: string | null = null;
    let code: string | null = null;
    if (body && typeof body === 'object') {
      const record = body as Record<string, unknown>;
      if (typeof record.detail === 'string') detail = record.detail;
      if (typeof record.code === 'string') code = record.code;
      const source =
        record.errors && typeof record.errors === 'object'
          ? (record.errors as Record<string, unknown>)
          : record;
      for (const [key, value] of Object.entries(source)) {
        if (key === 'detail' || key === 'code') continue;
        const messages = (Array.isArray(value) ? value : [value]).filter(
          (m): m is string => typeof m === 'string',
        );
        if (messages.length > 0) fields[key] = messages;
      }
    }
    super(status, detail ?? Object.values(fields)[0]?.[0] ?? null);
    this.name = 'ReconApiError';
    this.fields = fields;
    this.code = code;
  }
}

function take<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok || result.error !== undefined) {
    throw new ReconApiError(result.response.status, result.error);
  }
  return result.data as T;
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function useInvalidate() {
  const client = useQueryClient();
  return async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: ['reconciliation'] }),
      client.invalidateQueries({ queryKey: ['ledger'] }),
    ]);
  };
}

// ---- board, history, runs ----

export function useBoard(period: string) {
  return useQuery({
    queryKey: ['reconciliation', 'board', period],
    queryFn: async (): Promise<Board> =>
      take(await api.GET('/api/reconciliation/runs/board/', { params: { query: { period } } })),
  });
}

export function useHistory(periods = 12) {
  return useQuery({
    queryKey: ['reconciliation', 'history', periods],
    // The view answers a plain list although the schema documents a page.
    queryFn: async (): Promise<HistoryRow[]> => {
      const body: unknown = take(
        await api.GET('/api/reconciliation/runs/history/', { params: { query: { periods } } }),
      );
      return Array.isArray(body) ? (body as HistoryRow[]) : (body as Paginated<HistoryRow>).results;
    },
  });
}

export function useRuns(period: string) {
  return useQuery({
    queryKey: ['reconciliation', 'runs', period],
    queryFn: () => latestRuns(period),
  });
}

async function latestRuns(period: string): Promise<ReconRun[]> {
  return take(
    await api.GET('/api/reconciliation/runs/', { params: { query: { period, page_size: 50 } } }),
  ).results;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Queue a reconcile of the period (all sources or one) and wait until the worker has reported a
 * run for each source asked for; resolves with those runs. Gives up after `timeoutMs`.
 */
export function useReconcile(timeoutMs = 10 * 60_000) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ period, source }: { period: string; source?: Source | null }) => {
      const afterId = newestId(await latestRuns(period));
      take(
        await api.POST('/api/reconciliation/runs/', {
          body: source ? { period, source } : { period },
        }),
      );
      const expected = source ? 1 : SOURCES.length;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const fresh = runsAfter(await latestRuns(period), afterId);
        if (fresh.length >= expected) return fresh;
        if (Date.now() > deadline) throw new Error('reconcile timed out / 对账超时');
        await wait(POLL_MS);
      }
    },
    onSettled: invalidate,
  });
}

// ---- imports ----

export function useImports(page: number) {
  return useQuery({
    queryKey: ['reconciliation', 'imports', page],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<BillImport>> =>
      take(
        await api.GET('/api/reconciliation/imports/', {
          params: { query: { page, page_size: PAGE_SIZE } },
        }),
      ),
  });
}

/** What an upload came to: the report of a file imported now, or the record of one queued (202). */
export type BillUpload =
  { kind: 'report'; report: ImportReport } | { kind: 'queued'; record: BillImport };

export function useUploadBill() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ source, file }: { source: Source; file: File }): Promise<BillUpload> => {
      const form = new FormData();
      form.append('source', source);
      form.append('file', file);
      const result = await api.POST('/api/reconciliation/imports/', {
        body: form as unknown as { source: Source; file: string },
      });
      const body: unknown = take(result);
      return result.response.status === 202
        ? { kind: 'queued', record: body as BillImport }
        : { kind: 'report', report: body as ImportReport };
    },
    onSuccess: invalidate,
  });
}

/** One bill import, polled until it is done or failed. */
export function useBillImport(id: number | null) {
  return useQuery({
    queryKey: ['reconciliation', 'import', id],
    enabled: id !== null,
    queryFn: async (): Promise<BillImport> =>
      take(
        await api.GET('/api/reconciliation/imports/{id}/', {
          params: { path: { id: id as number } },
        }),
      ),
    refetchInterval: (query) => importPollInterval(query.state.data),
  });
}

// ---- exceptions ----

export function useExceptions(filters: ExceptionFilters, page: number) {
  return useQuery({
    queryKey: ['reconciliation', 'exceptions', filters, page],
    placeholderData: keepPreviousData,
    queryFn: async (): Promise<Paginated<ReconException>> =>
      take(
        await api.GET('/api/reconciliation/exceptions/', {
          params: { query: exceptionQuery(filters, page, PAGE_SIZE) as never },
        }),
      ),
  });
}

export function useException(id: number | null) {
  return useQuery({
    queryKey: ['reconciliation', 'exception', id],
    enabled: id !== null,
    queryFn: async (): Promise<ExceptionDetail> =>
      take(
        await api.GET('/api/reconciliation/exceptions/{id}/', {
          params: { path: { id: id as number } },
        }),
      ),
  });
}

export function useResolve() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({
      id,
      resolution,
      note,
    }: {
      id: number;
      resolution: Resolution;
      note: string;
    }) =>
      take(
        await api.POST('/api/reconciliation/exceptions/{id}/resolve/', {
          params: { path: { id } },
          body: resolvePayload(resolution, note),
        }),
      ) as ExceptionDetail,
    onSuccess: invalidate,
  });
}

export function useApprove() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ id, approve, note }: { id: number; approve: boolean; note?: string }) =>
      take(
        await api.POST('/api/reconciliation/exceptions/{id}/approve/', {
          params: { path: { id } },
          body: { approve, note: note ?? '' },
        }),
      ) as ExceptionDetail,
    onSuccess: invalidate,
  });
}

/** Assign one or many (the API assigns one at a time). */
export function useAssign() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ ids, owner }: { ids: readonly number[]; owner: number | null }) => {
      for (const id of ids) {
        take(
          await api.POST('/api/reconciliation/exceptions/{id}/assign/', {
            params: { path: { id } },
            body: { owner },
          }),
        );
      }
      return ids.length;
    },
    onSettled: invalidate,
  });
}

export function useBulkResolve() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({
      ids,
      resolution,
      note,
    }: {
      ids: readonly number[];
      resolution: Resolution;
      note: string;
    }) =>
      take(
        await api.POST('/api/reconciliation/exceptions/bulk-resolve/', {
          body: bulkPayload(ids, resolution, note),
        }),
      ) as Record<string, unknown>,
    onSuccess: invalidate,
  });
}

export function useAddNote() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ id, text, file }: { id: number; text: string; file: File | null }) => {
      const form = new FormData();
      form.append('text', text);
      if (file) form.append('attachment', file);
      return take(
        await api.POST('/api/reconciliation/exceptions/{id}/notes/', {
          params: { path: { id } },
          body: form as unknown as { text: string },
        }),
      ) as Note;
    },
    onSuccess: invalidate,
  });
}

/** Finance users and owners of the operator, for the owner filter and assignment. */
export function useFinanceUsers() {
  return useQuery({
    queryKey: ['reconciliation', 'finance-users'],
    staleTime: 60_000,
    queryFn: async (): Promise<UserChoice[]> => {
      const result = await api.GET('/api/parties/users/', {
        params: { query: { page_size: 200 } as never },
      });
      if (!result.response.ok) return [];
      const body = result.data as unknown as Paginated<UserChoice> | UserChoice[];
      const users = Array.isArray(body) ? body : body.results;
      return users.filter((u) => (u.roles ?? []).some((r) => r === 'finance' || r === 'owner'));
    },
  });
}

// ---- closes ----

export function useCloses() {
  return useQuery({
    queryKey: ['reconciliation', 'closes'],
    queryFn: async (): Promise<Paginated<PeriodClose>> =>
      take(await api.GET('/api/reconciliation/closes/', { params: { query: { page_size: 50 } } })),
  });
}

export function useClosePeriod() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ period, overrideReason }: { period: string; overrideReason?: string }) =>
      take(
        await api.POST('/api/reconciliation/closes/', {
          body: closePayload(period, overrideReason),
        }),
      ) as PeriodClose,
    onSuccess: invalidate,
  });
}

export function useReopen() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: async ({ id, reason }: { id: number; reason: string }) =>
      take(
        await api.POST('/api/reconciliation/closes/{id}/reopen/', {
          params: { path: { id } },
          body: { reason },
        }),
      ) as PeriodClose,
    onSuccess: invalidate,
  });
}

/** Count of exceptions matching a filter (page_size 1), for the close checklist. */
export function useExceptionCount(filters: ExceptionFilters) {
  return useQuery({
    queryKey: ['reconciliation', 'exceptions', 'count', filters],
    queryFn: async (): Promise<number> =>
      take(
        await api.GET('/api/reconciliation/exceptions/', {
          params: { query: exceptionQuery(filters, 1, 1) as never },
        }),
      ).count,
  });
}
