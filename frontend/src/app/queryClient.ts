import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '@/api/client';
import { ME_KEY } from '@/api/session';

export function makeQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    // A 401/403 on any data query may mean the session ended: ask /api/auth/me/ again, and
    // RequireAuth sends the user to /login if it answers "not logged in".
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (
          error instanceof ApiError &&
          (error.status === 401 || error.status === 403) &&
          query.queryKey[0] !== ME_KEY[0]
        ) {
          void client.invalidateQueries({ queryKey: ME_KEY });
        }
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) =>
          !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2,
      },
    },
  });
  return client;
}
