import { HOMES, type Home } from '@/api/models';

/** Where each home lives in the SPA. */
export const HOME_PATHS: Record<Home, string> = {
  brand: '/brand',
  mcn: '/mcn',
  operator: '/operator',
  finance: '/finance',
  observer: '/observer',
  service_provider: '/service-provider',
};

/** Which homes may open the shared pages. Everything else is one home's own page. */
export const PAGE_ACCESS = {
  organizations: ['operator', 'finance'],
  anchors: ['operator', 'finance', 'mcn'],
  supply: ['operator', 'finance', 'brand'],
  ledger: ['finance'],
  catalog: ['brand', 'operator'],
  selection: HOMES,
  selectionBrand: ['brand'],
  selectionAnchor: ['mcn'],
  settlement: ['finance', 'operator'],
  reconciliation: ['finance', 'operator'],
  earnings: ['brand', 'mcn', 'service_provider'],
} as const satisfies Record<string, readonly Home[]>;

/** Inside the operator's home, settlement and reconciliation are for owners (finance staff have their own home). */
export const SETTLEMENT_OPERATOR_ROLES: readonly string[] = ['owner', 'finance'];

export type NavKey = 'home' | keyof typeof PAGE_ACCESS;

export interface NavItem {
  key: NavKey;
  path: string;
}

/** The menu a user sees: their own home first, then the shared pages their home may open. */
export function navFor(home: Home, roles: readonly string[] = []): NavItem[] {
  const items: NavItem[] = [{ key: 'home', path: HOME_PATHS[home] }];
  if ((PAGE_ACCESS.organizations as readonly Home[]).includes(home)) {
    items.push({ key: 'organizations', path: '/parties/organizations' });
  }
  if ((PAGE_ACCESS.anchors as readonly Home[]).includes(home)) {
    items.push({ key: 'anchors', path: '/parties/anchors' });
  }
  if ((PAGE_ACCESS.supply as readonly Home[]).includes(home)) {
    items.push({ key: 'supply', path: '/supply' });
  }
  if ((PAGE_ACCESS.ledger as readonly Home[]).includes(home)) {
    items.push({ key: 'ledger', path: '/ledger' });
  }
  if (
    home === 'finance' ||
    (home === 'operator' && roles.some((role) => SETTLEMENT_OPERATOR_ROLES.includes(role)))
  ) {
    items.push({ key: 'settlement', path: '/settlement' });
    items.push({ key: 'reconciliation', path: '/reconciliation' });
  }
  if ((PAGE_ACCESS.catalog as readonly Home[]).includes(home)) {
    items.push({ key: 'catalog', path: '/catalog' });
  }
  items.push({ key: 'selection', path: '/selection' });
  if ((PAGE_ACCESS.selectionBrand as readonly Home[]).includes(home)) {
    items.push({ key: 'selectionBrand', path: '/selection/brand' });
  }
  if ((PAGE_ACCESS.selectionAnchor as readonly Home[]).includes(home)) {
    items.push({ key: 'selectionAnchor', path: '/selection/anchor' });
  }
  if ((PAGE_ACCESS.earnings as readonly Home[]).includes(home)) {
    items.push({ key: 'earnings', path: '/earnings' });
  }
  return items;
}
