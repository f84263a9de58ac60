/**
 * The selection center's filters: read from and written to the page's URL (so a search can be
 * shared and survives a reload), and turned into the query of GET /api/catalog/selection/.
 *
 * Prices and rates stay integers or decimal strings: a price band "50-100" (the facet's label, in
 * yuan, [lower, upper)) becomes price_min=50.00 & price_max=99.99, the API's bounds being
 * inclusive; a commission band "1000-1999" is already in basis points.
 */
import { fromMinorUnits, toMinorUnits } from '@/lib/money';

export const SORTS = ['relevance', 'commission', 'earnings', 'sales', 'newest'] as const;
export type Sort = (typeof SORTS)[number];
export const PLAN_TYPES = ['open', 'targeted', 'exclusive'] as const;
export type PlanType = (typeof PLAN_TYPES)[number];
export const STATUSES = ['approved', 'submitted', 'draft', 'rejected'] as const;
export type Status = (typeof STATUSES)[number];
/** The facet's price bands (backend selectors.PRICE_BANDS), in yuan. */
export const PRICE_BANDS = ['0-50', '50-100', '100-200', '200-500', '500+'] as const;
/** Commission bands offered as filters, in basis points, both ends inclusive. */
export const COMMISSION_BANDS = ['0-999', '1000-1999', '2000-2999', '3000-'] as const;

export const PAGE_SIZE = 20;

export interface SelectionFilters {
  q: string;
  category?: number;
  origin_city?: string;
  origin_county?: string;
  brand?: number;
  /** A price band label such as "50-100" or "500+". */
  price?: string;
  /** A commission band in basis points such as "1000-1999" or "3000-". */
  commission?: string;
  in_stock?: boolean;
  gi?: boolean;
  plan_type?: PlanType;
  sort?: Sort;
  /** Operator only: the certification status to search (others always see approved). */
  status?: Status;
}

/** The query of GET /api/catalog/selection/ and /facets/ (without the cursor). */
export interface SelectionQuery {
  q?: string;
  category?: number;
  origin_city?: string;
  origin_county?: string;
  brand?: number;
  price_min?: string;
  price_max?: string;
  commission_min?: number;
  commission_max?: number;
  in_stock?: boolean;
  is_geographic_indication?: boolean;
  plan_type?: PlanType;
  sort?: Sort;
  status?: Status;
  page_size?: number;
}

function positiveInt(value: string | null): number | undefined {
  return value && /^\d{1,9}$/.test(value) && Number(value) > 0 ? Number(value) : undefined;
}

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return (values as readonly string[]).includes(value ?? '') ? (value as T) : undefined;
}

const PRICE_BAND = /^(\d+(?:\.\d{1,2})?)(?:-(\d+(?:\.\d{1,2})?)|\+)$/;
const COMMISSION_BAND = /^(\d{1,5})-(\d{1,5})?$/;

/** "50-100" → {price_min: "50.00", price_max: "99.99"}; "500+" → {price_min: "500.00"}. */
export function priceBandRange(band: string): { price_min?: string; price_max?: string } | null {
  const match = PRICE_BAND.exec(band);
  if (!match) return null;
  const lower = toMinorUnits(match[1], 'CNY');
  const range: { price_min?: string; price_max?: string } = {};
  if (lower > 0n) range.price_min = fromMinorUnits(lower, 'CNY');
  if (match[2] !== undefined) {
    const upper = toMinorUnits(match[2], 'CNY');
    if (upper <= lower) return null;
    range.price_max = fromMinorUnits(upper - 1n, 'CNY');
  }
  return range;
}

/** "1000-1999" → {commission_min: 1000, commission_max: 1999}; "3000-" → {commission_min: 3000}. */
export function commissionBandRange(
  band: string,
): { commission_min?: number; commission_max?: number } | null {
  const match = COMMISSION_BAND.exec(band);
  if (!match) return null;
  const low = Number(match[1]);
  const high = match[2] !== undefined ? Number(match[2]) : undefined;
  if (low > 10_000 || (high !== undefined && (high > 10_000 || high < low))) return null;
  return {
    ...(low > 0 ? { commission_min: low } : {}),
    ...(high !== undefined ? { commission_max: high } : {}),
  };
}

/** The filters a URL holds; anything malformed is dropped. */
export function filtersFromSearch(params: URLSearchParams): SelectionFilters {
  const filters: SelectionFilters = { q: (params.get('q') ?? '').trim().slice(0, 50) };
  const category = positiveInt(params.get('category'));
  if (category) filters.category = category;
  const city = params.get('origin_city')?.trim();
  if (city) filters.origin_city = city;
  const county = params.get('origin_county')?.trim();
  if (county) filters.origin_county = county;
  const brand = positiveInt(params.get('brand'));
  if (brand) filters.brand = brand;
  const price = params.get('price');
  if (price && priceBandRange(price)) filters.price = price;
  const commission = params.get('commission');
  if (commission && commissionBandRange(commission)) filters.commission = commission;
  if (params.get('in_stock') === 'true') filters.in_stock = true;
  if (params.get('gi') === 'true') filters.gi = true;
  const plan = oneOf(PLAN_TYPES, params.get('plan_type'));
  if (plan) filters.plan_type = plan;
  const sort = oneOf(SORTS, params.get('sort'));
  if (sort) filters.sort = sort;
  const status = oneOf(STATUSES, params.get('status'));
  if (status) filters.status = status;
  return filters;
}

/** The URL query for the filters, in a stable order, defaults left out. */
export function searchFromFilters(filters: SelectionFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.category) params.set('category', String(filters.category));
  if (filters.origin_city) params.set('origin_city', filters.origin_city);
  if (filters.origin_county) params.set('origin_county', filters.origin_county);
  if (filters.brand) params.set('brand', String(filters.brand));
  if (filters.price) params.set('price', filters.price);
  if (filters.commission) params.set('commission', filters.commission);
  if (filters.in_stock) params.set('in_stock', 'true');
  if (filters.gi) params.set('gi', 'true');
  if (filters.plan_type) params.set('plan_type', filters.plan_type);
  if (filters.sort) params.set('sort', filters.sort);
  if (filters.status) params.set('status', filters.status);
  return params;
}

/**
 * The sort the page shows: the chosen one, else relevance for a text search and newest without
 * text (the backend's default, selectors.SearchParams.effective_sort).
 */
export function effectiveSort(filters: SelectionFilters): Sort {
  if (filters.sort) return filters.sort;
  return filters.q.trim() ? 'relevance' : 'newest';
}

/**
 * The API query for the filters. The operator sees every certification status unless it asks for
 * one: the page asks for approved ones by default, as everyone else sees.
 */
export function apiQuery(filters: SelectionFilters, isOperator: boolean): SelectionQuery {
  const query: SelectionQuery = { page_size: PAGE_SIZE };
  if (filters.q.trim()) query.q = filters.q.trim();
  if (filters.category) query.category = filters.category;
  if (filters.origin_city) query.origin_city = filters.origin_city;
  if (filters.origin_county) query.origin_county = filters.origin_county;
  if (filters.brand) query.brand = filters.brand;
  if (filters.price) Object.assign(query, priceBandRange(filters.price) ?? {});
  if (filters.commission) Object.assign(query, commissionBandRange(filters.commission) ?? {});
  if (filters.in_stock) query.in_stock = true;
  if (filters.gi) query.is_geographic_indication = true;
  if (filters.plan_type) query.plan_type = filters.plan_type;
  if (filters.sort) query.sort = filters.sort;
  if (isOperator) query.status = filters.status ?? 'approved';
  return query;
}

/** Whether any filter besides the text and the sort is set. */
export function hasFilters(filters: SelectionFilters): boolean {
  return Object.entries(filters).some(
    ([key, v]) => key !== 'q' && key !== 'sort' && v !== undefined && v !== false && v !== '',
  );
}
