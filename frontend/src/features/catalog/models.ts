/** Zod schemas of the catalog API's responses (backend/shuxuan/catalog/serializers.py). */
import { z } from 'zod';
import { moneySchema, paginated } from '@/api/models';

export const PRODUCT_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const categorySchema = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  parent: z.number().nullish(),
  position: z.number().nullish(),
});
export type Category = z.infer<typeof categorySchema>;

export const skuSchema = z.object({
  id: z.number(),
  product: z.number().nullish(),
  code: z.string(),
  spec: z.string(),
  supply_price: moneySchema,
  retail_price: moneySchema,
  min_live_price: moneySchema,
  max_live_price: moneySchema,
  created_at: z.string().nullish(),
});
export type Sku = z.infer<typeof skuSchema>;

export const imageSchema = z.object({
  id: z.number(),
  url: z.string(),
  content_type: z.string().nullish(),
  size_bytes: z.number().nullish(),
  position: z.number().nullish(),
});
export type ProductImage = z.infer<typeof imageSchema>;

export const decisionSchema = z.object({
  id: z.number(),
  action: z.string(),
  from_status: z.string(),
  to_status: z.string(),
  reason: z.string().nullish(),
  actor: z.number().nullish(),
  at: z.string(),
});
export type Decision = z.infer<typeof decisionSchema>;

export const productSchema = z.object({
  id: z.number(),
  brand: z.object({ id: z.number(), name: z.string() }),
  category: z.object({
    id: z.number(),
    code: z.string().nullish(),
    name: z.string(),
    parent: z.number().nullish(),
  }),
  name: z.string(),
  description: z.string().nullish(),
  selling_points: z.array(z.string()).nullish(),
  origin_city: z.string(),
  origin_county: z.string().nullish(),
  is_geographic_indication: z.boolean().nullish(),
  shelf_life_days: z.number().nullish(),
  ship_from: z.string().nullish(),
  status: z.enum(PRODUCT_STATUSES),
  rejection_reason: z.string().nullish(),
  first_approved_at: z.string().nullish(),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
  skus: z.array(skuSchema),
  images: z
    .array(imageSchema)
    .nullish()
    .transform((v) => v ?? []),
  decisions: z.array(decisionSchema).optional(),
});
export type Product = z.infer<typeof productSchema>;

export const productPage = paginated(productSchema);

export const importRejectionSchema = z.object({
  line: z.number(),
  field: z.string(),
  reason: z.string(),
});
export type ImportRejection = z.infer<typeof importRejectionSchema>;

export const importReportSchema = z.object({
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  rejected: z.array(importRejectionSchema),
});
export type ImportReport = z.infer<typeof importReportSchema>;

/** A product file imported in the background (202), polled at /api/catalog/product-imports/{id}/. */
export const productImportSchema = importReportSchema.extend({
  id: z.number(),
  filename: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  rows_total: z.number().nullable(),
  rows_done: z.number(),
  progress: z.number().nullable(),
  error: z.string(),
});
export type ProductImport = z.infer<typeof productImportSchema>;
