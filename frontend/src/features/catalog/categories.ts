import type { Category } from './models';
import { SICHUAN_ORIGINS } from './origins';

export interface CategoryNode {
  value: number;
  title: string;
  selectable: boolean;
  children?: CategoryNode[];
}

/** The flat category list (with parent ids) as a tree; only leaves can be chosen for a product. */
export function categoryTree(categories: Category[]): CategoryNode[] {
  const byParent = new Map<number | null, Category[]>();
  for (const category of categories) {
    const parent = category.parent ?? null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), category]);
  }
  const build = (parent: number | null): CategoryNode[] =>
    (byParent.get(parent) ?? [])
      .slice()
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || a.id - b.id)
      .map((category) => {
        const children = build(category.id);
        return children.length > 0
          ? { value: category.id, title: category.name, selectable: false, children }
          : { value: category.id, title: category.name, selectable: true };
      });
  return build(null);
}

export interface OriginOption {
  value: string;
  label: string;
  children?: OriginOption[];
}

/** Prefecture → county options for the origin cascader. */
export const ORIGIN_OPTIONS: OriginOption[] = SICHUAN_ORIGINS.map(({ city, counties }) => ({
  value: city,
  label: city,
  children: counties.map((county) => ({ value: county, label: county })),
}));
