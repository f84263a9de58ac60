/**
 * What the workbench's hooks share: plans, applications, picks, samples, sessions, ROI and matching
 * (backend/shuxuan/selection/apis.py, matching_apis.py). Every key starts with WB so that a
 * write refreshes them all and leaves the search's cache alone.
 */
import { useQueryClient } from '@tanstack/react-query';
import { ApiError } from '@/api/client';

export const WB = ['selection', 'wb'] as const;
export const ALL = 500;

/** An API error that keeps the backend's per-field messages: `{detail, errors: {field: [...]}}`
 * from a service, or DRF's `{field: [...]}` / nested `{lineup: {"0": {...}}}` from a serializer. */
export class SelectionApiError extends ApiError {
  readonly fields: Record<string, string[]>;
  readonly code: string | null;

  constructor(status: number, body: unknown) {
    const fields = fieldErrors(body);
    const detail =
      body && typeof body === 'object' && typeof (body as { detail?: unknown }).detail === 'string'
        ? (body as { detail: string }).detail
        : null;
    super(status, detail ?? Object.values(fields)[0]?.[0] ?? null);
    this.name = 'SelectionApiError';
    this.fields = fields;
    const code = body && typeof body === 'object' ? (body as { code?: unknown }).code : null;
    this.code = typeof code === 'string' ? code : null;
  }
}

export function fieldErrors(body: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (!body || typeof body !== 'object') return out;
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      (out[path] ??= []).push(value);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => (typeof v === 'string' ? walk(v, path) : walk(v, `${path}[${i}]`)));
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        walk(inner, /^\d+$/.test(key) ? `${path}[${key}]` : path ? `${path}.${key}` : key);
      }
    }
  };
  const source = 'errors' in body ? (body as { errors: unknown }).errors : body;
  if (source && typeof source === 'object') {
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      if (key === 'detail' || key === 'code') continue;
      walk(value, key);
    }
  }
  return out;
}

export function take<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok || result.error !== undefined) {
    throw new SelectionApiError(result.response.status, result.error);
  }
  return result.data as T;
}

export function useRefresh() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: WB });
}
