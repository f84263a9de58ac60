/**
 * The product editor's form values and their conversion to what the API takes.
 *
 * Prices are typed as yuan text ("12.5") and never become floats: they are checked and compared as
 * bigint fen (lib/money) and sent as `{"amount": "12.50", "currency": "CNY"}`, the shape of the
 * backend's MoneyField.
 */
import type { components } from '@/api/schema';
import { fromMinorUnits, toMinorUnits, type Money } from '@/lib/money';
import type { Product, Sku } from './models';

type Schemas = components['schemas'];
export type ProductCreatePayload = Schemas['ProductCreateRequest'];
export type ProductPatchPayload = Schemas['PatchedProductWriteRequest'];
export type SkuPayload = Schemas['SkuWriteRequest'];

export const CURRENCY = 'CNY';
export const PRICE_FIELDS = [
  'supply_price',
  'retail_price',
  'min_live_price',
  'max_live_price',
] as const;
export type PriceField = (typeof PRICE_FIELDS)[number];

export interface SkuFormValues {
  /** The SKU's id when it exists on the backend. */
  id?: number;
  code: string;
  spec: string;
  supply_price: string;
  retail_price: string;
  min_live_price: string;
  max_live_price: string;
}

export interface ProductFormValues {
  name: string;
  category?: number;
  /** [prefecture] or [prefecture, county]. */
  origin?: string[];
  is_geographic_indication: boolean;
  selling_points: string[];
  shelf_life_days?: number | null;
  ship_from: string;
  description: string;
  skus: SkuFormValues[];
}

const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;

/** "¥1,234.5 " → "1234.5"; the text a price input may hold, cleaned of symbols and separators. */
function cleanAmount(text: string): string {
  return text.replace(/[¥￥,\s]/g, '');
}

/** Whether `text` is a yuan amount with at most two decimals (no sign, no exponent). */
export function isAmount(text: string | undefined | null): boolean {
  return typeof text === 'string' && AMOUNT.test(cleanAmount(text));
}

/** Yuan text → fen; throws on anything but an amount with at most two decimals. */
export function amountToFen(text: string): bigint {
  const cleaned = cleanAmount(text);
  if (!AMOUNT.test(cleaned)) throw new Error(`Not an amount: ${JSON.stringify(text)}`);
  return toMinorUnits(cleaned, CURRENCY);
}

/** Yuan text → the API's money object, normalised to two decimals ("12.5" → "12.50"). */
export function toMoney(text: string): Money {
  return { amount: fromMinorUnits(amountToFen(text), CURRENCY), currency: CURRENCY };
}

/** The API's money → the text the price input shows ("12.50"). */
export function moneyText(money: Money): string {
  return fromMinorUnits(toMinorUnits(money.amount, money.currency), money.currency);
}

export type SkuProblem = 'badAmount' | 'positive' | 'retailBelowSupply' | 'maxBelowMin';

/**
 * What is wrong with one SKU's prices, by field (the backend's rules: every price above 0,
 * retail ≥ supply, max live ≥ min live). Fields that are not amounts are reported as such and
 * left out of the comparisons.
 */
export function skuPriceProblems(
  sku: Partial<SkuFormValues>,
): Partial<Record<PriceField, SkuProblem>> {
  const problems: Partial<Record<PriceField, SkuProblem>> = {};
  const fen: Partial<Record<PriceField, bigint>> = {};
  for (const field of PRICE_FIELDS) {
    const text = sku[field];
    if (!isAmount(text)) {
      problems[field] = 'badAmount';
      continue;
    }
    const value = amountToFen(text as string);
    if (value <= 0n) problems[field] = 'positive';
    else fen[field] = value;
  }
  if (
    fen.supply_price !== undefined &&
    fen.retail_price !== undefined &&
    fen.retail_price < fen.supply_price
  ) {
    problems.retail_price = 'retailBelowSupply';
  }
  if (
    fen.min_live_price !== undefined &&
    fen.max_live_price !== undefined &&
    fen.max_live_price < fen.min_live_price
  ) {
    problems.max_live_price = 'maxBelowMin';
  }
  return problems;
}

/** Codes that appear more than once (case-insensitive, as the backend's unique constraint). */
export function duplicateCodes(skus: Pick<SkuFormValues, 'code'>[]): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const sku of skus) {
    const code = (sku.code ?? '').trim().toUpperCase();
    if (!code) continue;
    if (seen.has(code)) duplicates.add(code);
    seen.add(code);
  }
  return duplicates;
}

export function skuPayload(sku: SkuFormValues): SkuPayload {
  return {
    code: sku.code.trim(),
    spec: sku.spec.trim(),
    supply_price: toMoney(sku.supply_price),
    retail_price: toMoney(sku.retail_price),
    min_live_price: toMoney(sku.min_live_price),
    max_live_price: toMoney(sku.max_live_price),
  };
}

function productFields(values: ProductFormValues): Required<ProductPatchPayload> {
  const [city = '', county = ''] = values.origin ?? [];
  return {
    category: values.category as number,
    name: values.name.trim(),
    description: (values.description ?? '').trim(),
    selling_points: (values.selling_points ?? []).map((p) => p.trim()).filter(Boolean),
    origin_city: city,
    origin_county: county,
    is_geographic_indication: Boolean(values.is_geographic_indication),
    shelf_life_days: values.shelf_life_days ?? null,
    ship_from: (values.ship_from ?? '').trim(),
  };
}

/** The body of POST /api/catalog/products/: the product with its SKUs. */
export function createPayload(values: ProductFormValues): ProductCreatePayload {
  return { ...productFields(values), skus: values.skus.map(skuPayload) };
}

/**
 * The body of PATCH /api/catalog/products/{id}/: only the fields that changed, so that an approved
 * product is not sent back to review for nothing. Origin city and county always travel together
 * (the backend requires it).
 */
export function patchPayload(product: Product, values: ProductFormValues): ProductPatchPayload {
  const next = productFields(values);
  const patch: ProductPatchPayload = {};
  if (next.category !== product.category.id) patch.category = next.category;
  if (next.name !== product.name) patch.name = next.name;
  if (next.description !== (product.description ?? '')) patch.description = next.description;
  if (JSON.stringify(next.selling_points) !== JSON.stringify(product.selling_points ?? [])) {
    patch.selling_points = next.selling_points;
  }
  if (
    next.origin_city !== product.origin_city ||
    next.origin_county !== (product.origin_county ?? '')
  ) {
    patch.origin_city = next.origin_city;
    patch.origin_county = next.origin_county;
  }
  if (next.is_geographic_indication !== Boolean(product.is_geographic_indication)) {
    patch.is_geographic_indication = next.is_geographic_indication;
  }
  if (next.shelf_life_days !== (product.shelf_life_days ?? null)) {
    patch.shelf_life_days = next.shelf_life_days;
  }
  if (next.ship_from !== (product.ship_from ?? '')) patch.ship_from = next.ship_from;
  return patch;
}

export interface SkuChanges {
  create: SkuPayload[];
  update: { id: number; data: Partial<SkuPayload> }[];
  remove: number[];
}

/** What to send to /api/catalog/skus/ so the product's SKUs become the form's. */
export function skuChanges(existing: Sku[], values: SkuFormValues[]): SkuChanges {
  const byId = new Map(existing.map((sku) => [sku.id, sku]));
  const kept = new Set<number>();
  const changes: SkuChanges = { create: [], update: [], remove: [] };
  for (const value of values) {
    const current = value.id !== undefined ? byId.get(value.id) : undefined;
    if (!current) {
      changes.create.push(skuPayload(value));
      continue;
    }
    kept.add(current.id);
    const wanted = skuPayload(value);
    const data: Partial<SkuPayload> = {};
    if (wanted.code !== current.code) data.code = wanted.code;
    if (wanted.spec !== current.spec) data.spec = wanted.spec;
    for (const field of PRICE_FIELDS) {
      const before = toMinorUnits(current[field].amount, current[field].currency);
      if (amountToFen(value[field]) !== before || current[field].currency !== CURRENCY) {
        data[field] = wanted[field];
      }
    }
    if (Object.keys(data).length > 0) changes.update.push({ id: current.id, data });
  }
  changes.remove = existing.filter((sku) => !kept.has(sku.id)).map((sku) => sku.id);
  return changes;
}

export function emptySku(): SkuFormValues {
  return {
    code: '',
    spec: '',
    supply_price: '',
    retail_price: '',
    min_live_price: '',
    max_live_price: '',
  };
}

export function emptyForm(): ProductFormValues {
  return {
    name: '',
    is_geographic_indication: false,
    selling_points: [],
    shelf_life_days: null,
    ship_from: '',
    description: '',
    skus: [emptySku()],
  };
}

export function formFromProduct(product: Product): ProductFormValues {
  return {
    name: product.name,
    category: product.category.id,
    origin: product.origin_county
      ? [product.origin_city, product.origin_county]
      : [product.origin_city],
    is_geographic_indication: Boolean(product.is_geographic_indication),
    selling_points: product.selling_points ?? [],
    shelf_life_days: product.shelf_life_days ?? null,
    ship_from: product.ship_from ?? '',
    description: product.description ?? '',
    skus: product.skus.map((sku) => ({
      id: sku.id,
      code: sku.code,
      spec: sku.spec,
      supply_price: moneyText(sku.supply_price),
      retail_price: moneyText(sku.retail_price),
      min_live_price: moneyText(sku.min_live_price),
      max_live_price: moneyText(sku.max_live_price),
    })),
  };
}
