/** Zod schemas of the selection-center API (backend/shuxuan/catalog/serializers.py). */
import { z } from 'zod';
import { moneySchema } from '@/api/models';

const brief = z.object({ id: z.number(), name: z.string() });

export const searchRowSchema = z.object({
  /** The SKU's id. */
  id: z.number(),
  product_id: z.number(),
  name: z.string(),
  spec: z.string(),
  brand: brief,
  category: brief,
  origin_city: z.string(),
  origin_county: z.string().nullish(),
  is_geographic_indication: z.boolean(),
  status: z.string(),
  retail_price: moneySchema,
  commission_bps: z.number(),
  estimated_earnings: moneySchema,
  sales_30d: z.number(),
  in_stock: z.boolean(),
  plan_type: z.string(),
  cover_image: z.string().nullish(),
  listed_at: z.string().nullish(),
});
export type SearchRow = z.infer<typeof searchRowSchema>;

export const searchPageSchema = z.object({
  results: z.array(searchRowSchema),
  next: z.string().nullish(),
});
export type SearchPage = z.infer<typeof searchPageSchema>;

const facetCountSchema = z.object({
  id: z.number().nullish(),
  name: z.string().nullish(),
  value: z.string().nullish(),
  count: z.number(),
});
export type FacetCount = z.infer<typeof facetCountSchema>;

export const facetsSchema = z.object({
  category: z.array(facetCountSchema),
  origin_city: z.array(facetCountSchema),
  brand: z.array(facetCountSchema),
  price_band: z.array(facetCountSchema),
});
export type Facets = z.infer<typeof facetsSchema>;

/** What anchors see of a product: no supply price. */
export const publicProductSchema = z.object({
  id: z.number(),
  brand: brief,
  category: z.object({ id: z.number(), name: z.string() }),
  name: z.string(),
  description: z.string().nullish(),
  selling_points: z.array(z.string()).nullish(),
  origin_city: z.string(),
  origin_county: z.string().nullish(),
  is_geographic_indication: z.boolean().nullish(),
  shelf_life_days: z.number().nullish(),
  ship_from: z.string().nullish(),
  status: z.string().nullish(),
  first_approved_at: z.string().nullish(),
  skus: z.array(
    z.object({
      id: z.number(),
      code: z.string(),
      spec: z.string(),
      retail_price: moneySchema,
      min_live_price: moneySchema,
      max_live_price: moneySchema,
    }),
  ),
  images: z
    .array(z.object({ id: z.number(), url: z.string() }))
    .nullish()
    .transform((v) => v ?? []),
});
export type PublicProduct = z.infer<typeof publicProductSchema>;
