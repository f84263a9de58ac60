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
  total: z.number(),
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

// ---------------------------------------------------------------------------------------------
// The selection workbench (backend/shuxuan/selection/serializers.py and matching_apis.py).

const tierSchema = z.object({ min_gmv_minor: z.number(), rate_bps: z.number() });

export const versionSchema = z.object({
  id: z.number(),
  rate_bps: z.number(),
  ads_rate_bps: z.number().nullish(),
  tiers: z
    .array(tierSchema)
    .nullish()
    .transform((v) => v ?? []),
  effective_from: z.string(),
  created_at: z.string(),
});
export type Version = z.infer<typeof versionSchema>;

export const planSchema = z.object({
  id: z.number(),
  product: z.number(),
  product_name: z.string(),
  sku: z.number().nullish(),
  sku_code: z.string().nullish(),
  plan_type: z.enum(['open', 'targeted', 'exclusive']),
  name: z.string().nullish(),
  target_anchor: z.number().nullish(),
  target_anchor_name: z.string().nullish(),
  target_mcn: z.number().nullish(),
  target_mcn_name: z.string().nullish(),
  approval: z.string().nullish(),
  min_fans: z.number().nullish(),
  platforms: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  min_credit: z.number().nullish(),
  valid_from: z.string(),
  valid_to: z.string().nullish(),
  current: versionSchema.nullable(),
  versions: z.array(versionSchema),
  created_at: z.string(),
});
export type Plan = z.infer<typeof planSchema>;

export const applicationSchema = z.object({
  id: z.number(),
  plan: z.number(),
  anchor: z.number(),
  anchor_name: z.string(),
  product: z.number(),
  product_name: z.string(),
  sku: z.number().nullish(),
  state: z.string(),
  note: z.string().nullish(),
  reason: z.string().nullish(),
  decided_at: z.string().nullish(),
  created_at: z.string(),
});
export type Application = z.infer<typeof applicationSchema>;

const reasonSchema = z.object({ code: z.string(), message: z.string() });
export type Reason = z.infer<typeof reasonSchema>;

/** May the anchor ask for a sample of the product now (selectors.sample_eligibilities): the rule,
 * this Asia/Shanghai month's cap used and left, per platform whether it may and why not (the very
 * refusals the request would answer with), and the address to start the form with. */
export const sampleEligibilitySchema = z.object({
  anchor: z.number(),
  product: z.number(),
  takes_samples: z.boolean(),
  rule: z
    .object({
      min_fans: z.number(),
      platforms: z.array(z.string()),
      monthly_cap_per_anchor: z.number(),
      max_quantity: z.number(),
      decision_days: z.number(),
      content_days: z.number(),
      extension_days: z.number(),
      shipping_cost: moneySchema,
    })
    .nullable(),
  month: z.string(),
  used: z.number(),
  left: z.number(),
  eligible: z.boolean(),
  reasons: z.array(reasonSchema),
  platforms: z.array(
    z.object({ platform: z.string(), eligible: z.boolean(), reasons: z.array(reasonSchema) }),
  ),
  ship_to: z.string(),
});
export type SampleEligibility = z.infer<typeof sampleEligibilitySchema>;

export const pickSchema = z.object({
  id: z.number(),
  anchor: z.number(),
  anchor_name: z.string(),
  sku: z.number(),
  sku_code: z.string(),
  spec: z.string(),
  product: z.number(),
  product_name: z.string(),
  brand: z.number(),
  brand_name: z.string(),
  retail_price: moneySchema,
  mcn: z.number().nullish(),
  state: z.string(),
  plan: z.number().nullish(),
  version: z.number().nullish(),
  plan_type: z.string().nullish(),
  rate_bps: z.number().nullish(),
  ads_rate_bps: z.number().nullish(),
  frozen_at: z.string().nullish(),
  application: z.number().nullish(),
  note: z.string().nullish(),
  created_at: z.string(),
  removed_at: z.string().nullish(),
  /** The anchor side's view only (null for a brand). */
  sample: sampleEligibilitySchema.nullish(),
});
export type Pick = z.infer<typeof pickSchema>;

export const sampleSchema = z.object({
  id: z.number(),
  anchor: z.number(),
  anchor_name: z.string(),
  sku: z.number(),
  sku_code: z.string(),
  product: z.number(),
  product_name: z.string(),
  brand: z.number(),
  platform: z.string(),
  quantity: z.number().nullish(),
  ship_to: z.string(),
  note: z.string().nullish(),
  state: z.string(),
  created_at: z.string(),
  decide_by: z.string(),
  decided_at: z.string().nullish(),
  reason: z.string().nullish(),
  cost: moneySchema.nullish(),
  content_due_at: z.string().nullish(),
  extension_count: z.number().nullish(),
  extension_reason: z.string().nullish(),
  content_kind: z.string().nullish(),
  content_url: z.string().nullish(),
  content_recorded_at: z.string().nullish(),
  // The units held for the sample: `supply_reservation` set when they sit in a supply warehouse
  // (operator supply staff ship them), null when the brand sends them itself.
  hold: z
    .object({
      id: z.number(),
      quantity: z.number(),
      state: z.string(),
      supply_reservation: z.number().nullish(),
    })
    .nullish(),
});
export type Sample = z.infer<typeof sampleSchema>;

export const sessionItemSchema = z.object({
  id: z.number(),
  pick: z.number(),
  sku: z.number(),
  sku_code: z.string(),
  product_name: z.string(),
  brand: z.number(),
  position: z.number(),
  live_price: moneySchema,
  stock_quantity: z.number().nullish(),
  held: z.object({ quantity: z.number(), state: z.string() }).passthrough().nullish(),
  slot_fee: moneySchema.nullable(),
});
export type SessionItem = z.infer<typeof sessionItemSchema>;

export const sessionSchema = z.object({
  id: z.number(),
  anchor: z.number(),
  anchor_name: z.string(),
  mcn: z.number().nullish(),
  platform: z.string(),
  title: z.string(),
  starts_at: z.string(),
  ends_at: z.string(),
  state: z.string(),
  cancelled_at: z.string().nullish(),
  cancel_reason: z.string().nullish(),
  items: z.array(sessionItemSchema),
  created_at: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

export const quoteSchema = z.object({
  anchor_id: z.number(),
  sku_id: z.number(),
  at: z.string(),
  ads: z.boolean(),
  rate_bps: z.number().nullable(),
  plan_id: z.number().nullable(),
  plan_type: z.string().nullable(),
  version_id: z.number().nullable(),
  tier_min_gmv_minor: z.number().nullable(),
  month_gmv_minor: z.number(),
  can_apply_plan_id: z.number().nullable(),
  pending_application_id: z.number().nullable(),
  reasons: z.array(reasonSchema),
  considered: z.array(
    z.object({
      plan_id: z.number(),
      plan_type: z.string(),
      scope: z.string(),
      version_id: z.number().nullable(),
      rate_bps: z.number().nullable(),
      applies: z.boolean(),
      chosen: z.boolean(),
      reasons: z.array(reasonSchema),
    }),
  ),
});
export type Quote = z.infer<typeof quoteSchema>;

export const roiRowSchema = z.object({
  product_id: z.number(),
  product_name: z.string(),
  samples: z.number(),
  anchors: z.number(),
  cost: moneySchema,
  gmv: moneySchema,
  roi: z.string().nullable(),
});
export type RoiRow = z.infer<typeof roiRowSchema>;

export const fulfilmentSchema = z.object({
  anchor_id: z.number(),
  anchor_name: z.string(),
  approved: z.number(),
  delivered: z.number(),
  overdue: z.number(),
  open: z.number(),
  rate: z.string().nullable(),
});
export type Fulfilment = z.infer<typeof fulfilmentSchema>;

const matchReasonSchema = z.object({
  code: z.string(),
  zh: z.string(),
  en: z.string(),
  contribution: z.number().nullish(),
});
export type MatchReason = z.infer<typeof matchReasonSchema>;

export const productMatchSchema = z.object({
  product: z.number(),
  product_name: z.string(),
  sku: z.number().nullish(),
  spec: z.string().nullish(),
  brand: z.number().nullish(),
  brand_name: z.string().nullish(),
  origin_city: z.string().nullish(),
  retail_price: moneySchema.nullish(),
  commission_bps: z.number().nullish(),
  score: z.number(),
  reasons: z.array(matchReasonSchema),
});
export type ProductMatch = z.infer<typeof productMatchSchema>;

export const anchorMatchSchema = z.object({
  anchor: z.number(),
  anchor_name: z.string(),
  city: z.string().nullish(),
  sku: z.number().nullish(),
  commission_bps: z.number().nullish(),
  score: z.number(),
  reasons: z.array(matchReasonSchema),
});
export type AnchorMatch = z.infer<typeof anchorMatchSchema>;

export const anchorBriefSchema = z.object({ id: z.number(), name: z.string() });
export type AnchorBrief = z.infer<typeof anchorBriefSchema>;

export const brandProductSchema = z.object({
  id: z.number(),
  name: z.string(),
  status: z.string(),
  skus: z.array(z.object({ id: z.number(), code: z.string(), spec: z.string() })),
});
export type BrandProduct = z.infer<typeof brandProductSchema>;

export const sampleRuleSchema = z.object({
  id: z.number().optional(),
  product: z.number(),
  product_name: z.string(),
  is_active: z.boolean().optional(),
  min_fans: z.number().optional(),
  platforms: z.array(z.string()).optional(),
  monthly_cap_per_anchor: z.number().optional(),
  max_quantity: z.number().optional(),
  decision_days: z.number().optional(),
  content_days: z.number().optional(),
  extension_days: z.number().optional(),
  shipping_cost_minor: z.number().optional(),
  shipping_cost: moneySchema,
  updated_at: z.string(),
});
export type SampleRule = z.infer<typeof sampleRuleSchema>;
