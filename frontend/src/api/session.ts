/** The logged-in user (`me`), shared by the router, the layout and the features. */
import { useQuery, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, ensureCsrfToken, unwrap } from './client';
import { meSchema, type Me } from './models';

export const ME_KEY = ['auth', 'me'] as const;

/** GET /api/auth/me/: the user, or null when nobody is logged in (403/401). */
export async function fetchMe(): Promise<Me | null> {
  const result = await api.GET('/api/auth/me/');
  if (result.response.status === 403 || result.response.status === 401) return null;
  return meSchema.parse(unwrap(result));
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000, retry: false });
}

export async function login(username: string, password: string): Promise<Me> {
  await ensureCsrfToken();
  const result = await api.POST('/api/auth/login/', { body: { username, password } });
  return meSchema.parse(unwrap(result));
}

export async function logout(queryClient: QueryClient): Promise<void> {
  const result = await api.POST('/api/auth/logout/');
  if (!result.response.ok && result.response.status !== 403) {
    throw new ApiError(result.response.status, null);
  }
  queryClient.setQueryData(ME_KEY, null);
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
}
