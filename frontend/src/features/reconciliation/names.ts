import type { ReconT } from './i18n';
import type { UserChoice } from './models';

/** A user's name from the finance users the page knows, "you", or their id. */
export function userName(
  t: ReconT,
  id: number | null | undefined,
  users: readonly UserChoice[] | undefined,
  meId: number | undefined,
): string {
  if (id === null || id === undefined) return '—';
  const user = users?.find((u) => u.id === id);
  const name = user ? user.display_name || user.username : t('common.user', { id });
  return id === meId ? `${name} (${t('common.you')})` : name;
}
