import type { Me } from '@/api/models';
import { useMe } from '@/api/session';

/** The logged-in user; only call below RequireAuth. */
export function useCurrentUser(): Me {
  const { data } = useMe();
  if (!data) throw new Error('useCurrentUser outside RequireAuth');
  return data;
}
