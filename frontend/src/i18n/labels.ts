import type { TFunction } from 'i18next';
import type { Resources } from './zh';

type EnumGroup = 'orgKind' | 'role' | 'anchorKind' | 'platform';

/** Label for a backend enum value (org kind, role…); unknown values show as sent. */
export function enumLabel(t: TFunction, group: EnumGroup, value: string): string {
  const labels = t(group, { returnObjects: true }) as unknown as Resources[EnumGroup];
  const label = (labels as Record<string, string>)[value];
  return typeof label === 'string' ? label : value;
}
