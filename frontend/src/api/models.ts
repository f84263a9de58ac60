/** Zod schemas at the API edge: every response is parsed before the UI sees it. */
import { z } from 'zod';

export const HOMES = [
  'brand',
  'mcn',
  'operator',
  'finance',
  'observer',
  'service_provider',
] as const;
export type Home = (typeof HOMES)[number];

export const ORG_KINDS = ['brand', 'mcn', 'service_provider', 'operator', 'observer'] as const;

export const moneySchema = z.object({
  amount: z.string().regex(/^-?\d+(\.\d+)?$/),
  currency: z.string().length(3),
});
export type Money = z.infer<typeof moneySchema>;

export const orgRefSchema = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.string(),
});
export type OrgRef = z.infer<typeof orgRefSchema>;

export const meSchema = z.object({
  id: z.number(),
  username: z.string(),
  display_name: z
    .string()
    .nullish()
    .transform((v) => v ?? ''),
  organization: orgRefSchema.nullable(),
  roles: z.array(z.string()),
  home: z.enum(HOMES),
  language: z.string().nullish(),
});
export type Me = z.infer<typeof meSchema>;

/** One figure of a home: a count, an amount or a text, and the page that shows the same figure. */
export const homeCardSchema = z.object({
  key: z.string(),
  group: z.string(),
  label_zh: z.string(),
  label_en: z.string(),
  count: z.number().nullable(),
  amount: moneySchema.nullable(),
  text: z.string().nullable(),
  link: z.string().nullable(),
});
export type HomeCard = z.infer<typeof homeCardSchema>;

/** One measure per chart: every point a count, or every point an amount. */
export const homeChartSchema = z.object({
  key: z.string(),
  label_zh: z.string(),
  label_en: z.string(),
  unit: z.enum(['count', 'money']),
  label_kind: z.enum(['platform', 'org_kind', 'age', 'date']),
  points: z.array(
    z.object({ label: z.string(), count: z.number().nullable(), amount: moneySchema.nullable() }),
  ),
});
export type HomeChartData = z.infer<typeof homeChartSchema>;

export const homeSessionSchema = z.object({
  id: z.number(),
  title: z.string(),
  anchor_name: z.string(),
  platform: z.string(),
  starts_at: z.string(),
  ends_at: z.string(),
  items: z.number(),
});
export type HomeSession = z.infer<typeof homeSessionSchema>;

export const closeStatusSchema = z.object({
  period: z.string(),
  closed: z.boolean(),
  items: z.array(
    z.object({
      key: z.enum(['reconciled', 'bills', 'blocking', 'pending']),
      ok: z.enum(['ok', 'warn', 'fail']),
      count: z.number(),
      total: z.number(),
      sources: z.array(z.string()),
    }),
  ),
});
export type CloseStatus = z.infer<typeof closeStatusSchema>;

export const activitySchema = z.object({
  at: z.string(),
  actor: z.string().nullish(),
  action: z.string(),
  object_type: z.string().nullish(),
  object_id: z.string().nullish(),
  object_repr: z.string().nullish(),
});
export type Activity = z.infer<typeof activitySchema>;

export const homeSchema = z.object({
  home: z.enum(HOMES),
  organization: orgRefSchema.nullable(),
  cards: z.array(homeCardSchema),
  charts: z.array(homeChartSchema),
  sessions: z.array(homeSessionSchema),
  close: closeStatusSchema.nullable(),
  recent_activity: z.array(activitySchema).optional().default([]),
});
export type HomeData = z.infer<typeof homeSchema>;

export function paginated<T extends z.ZodType>(item: T) {
  return z.object({
    count: z.number(),
    next: z.string().nullish(),
    previous: z.string().nullish(),
    results: z.array(item),
  });
}
export type Paginated<T> = {
  count: number;
  next?: string | null;
  previous?: string | null;
  results: T[];
};

export const organizationSchema = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.string(),
  credit_code: z.string().nullish(),
  city: z.string().nullish(),
  county: z.string().nullish(),
  is_active: z.boolean().nullish(),
  created_at: z.string().nullish(),
});
export type Organization = z.infer<typeof organizationSchema>;

export const anchorAccountSchema = z.object({
  platform: z.string(),
  platform_uid: z.string(),
  nickname: z.string(),
  fans: z.number(),
  main_categories: z.array(z.string()).nullish(),
});
export type AnchorAccount = z.infer<typeof anchorAccountSchema>;

export const bindingSchema = z.object({
  mcn: z.object({ id: z.number(), name: z.string() }),
  split_bps: z.number(),
  valid_from: z.string(),
  valid_to: z.string().nullish(),
});

export const anchorSchema = z.object({
  id: z.number(),
  name: z.string(),
  kind: z.string(),
  region: z.string().nullish(),
  city: z.string().nullish(),
  county: z.string().nullish(),
  organization: orgRefSchema.nullish(),
  accounts: z.array(anchorAccountSchema),
  total_fans: z.number().nullish(),
  current_binding: bindingSchema.nullish(),
});
export type Anchor = z.infer<typeof anchorSchema>;

export const invitationSchema = z.object({
  id: z.number(),
  kind: z.string(),
  organization_name: z.string(),
  email: z.string().nullish(),
  credit_code: z.string().nullish(),
  created_at: z.string().nullish(),
  expires_at: z.string().nullish(),
  accepted_at: z.string().nullish(),
});
export type Invitation = z.infer<typeof invitationSchema>;
