/** What the settlement hooks share: the page size, the API error with its field messages, and the
 * invalidation after a write. */
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '@/api/client';

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

export function take<T>(result: { data?: T; error?: unknown; response: Response }): T {
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

export function useInvalidateSettlement() {
  const client = useQueryClient();
  return async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey: ['settlement'] }),
      client.invalidateQueries({ queryKey: ['ledger'] }),
    ]);
  };
}
