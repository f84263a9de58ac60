import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** Django's CSRF cookie and header names (settings.CSRF_COOKIE_NAME / CSRF_HEADER_NAME). */
export const CSRF_COOKIE = 'csrftoken';
export const CSRF_HEADER = 'X-CSRFToken';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

function origin(): string {
  return typeof window !== 'undefined' ? window.location.origin : '';
}

/** Resolved late so tests can stub `globalThis.fetch`. */
const lateFetch = (input: Request) => globalThis.fetch(input);

let pendingCsrf: Promise<string | null> | null = null;

/** The CSRF token from the cookie; asks the backend to set the cookie first when it is missing. */
export async function ensureCsrfToken(): Promise<string | null> {
  const existing = readCookie(CSRF_COOKIE);
  if (existing) return existing;
  pendingCsrf ??= globalThis
    .fetch(`${origin()}/api/auth/csrf/`, { credentials: 'same-origin' })
    .then(() => readCookie(CSRF_COOKIE))
    .catch(() => null)
    .finally(() => {
      pendingCsrf = null;
    });
  return pendingCsrf;
}

let currentLanguage = 'zh-hans';
/** The backend's language code for `Accept-Language` (Django: zh-hans, en). */
export function setApiLanguage(language: 'zh-hans' | 'en'): void {
  currentLanguage = language;
}

export const sessionMiddleware: Middleware = {
  async onRequest({ request }) {
    request.headers.set('Accept-Language', currentLanguage);
    if (UNSAFE_METHODS.has(request.method.toUpperCase())) {
      const token = await ensureCsrfToken();
      if (token) request.headers.set(CSRF_HEADER, token);
    }
    return request;
  },
};

export const api = createClient<paths>({
  baseUrl: origin(),
  credentials: 'same-origin',
  fetch: lateFetch,
  headers: { Accept: 'application/json' },
});
api.use(sessionMiddleware);

/** An HTTP error from the backend, with its `detail` message when it sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string | null;

  constructor(status: number, detail: string | null) {
    super(detail ?? `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
  }
}

function detailOf(error: unknown): string | null {
  if (error && typeof error === 'object' && 'detail' in error) {
    const detail = (error as { detail: unknown }).detail;
    if (typeof detail === 'string') return detail;
  }
  return null;
}

/** Turn an openapi-fetch result into its data, or throw an ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (!result.response.ok || result.error !== undefined) {
    throw new ApiError(result.response.status, detailOf(result.error));
  }
  return result.data as T;
}
