/** Zod schemas of the ledger API's responses (backend/shuxuan/ledger/serializers.py). */
import { z } from 'zod';
import { moneySchema, paginated } from '@/api/models';

export const accountSchema = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  type: z.string(),
  currency: z.string(),
  organization: z.number().nullish(),
  organization_name: z.string().nullish(),
  owner_platform: z.string().nullish(),
  owner_name: z.string().nullish(),
  balance: moneySchema,
});
export type Account = z.infer<typeof accountSchema>;

export const accountPostingSchema = z.object({
  entry_id: z.number(),
  line_no: z.number(),
  effective_date: z.string(),
  amount: moneySchema,
  running_balance: moneySchema,
  source_type: z.string(),
  source_id: z.string(),
  memo: z.string().nullish(),
});
export type AccountPosting = z.infer<typeof accountPostingSchema>;

export const entrySchema = z.object({
  id: z.number(),
  idempotency_key: z.string(),
  source_type: z.string(),
  source_id: z.string(),
  effective_date: z.string(),
  memo: z.string().nullish(),
  created_at: z.string(),
  created_by: z.string().nullish(),
  reverses: z.number().nullish(),
  postings: z.array(
    z.object({
      line_no: z.number(),
      account_id: z.number(),
      account_code: z.string(),
      account_name: z.string(),
      account_type: z.string(),
      owner_name: z.string().nullish(),
      owner_platform: z.string().nullish(),
      amount: moneySchema,
    }),
  ),
});
export type JournalEntry = z.infer<typeof entrySchema>;

export const trialBalanceSchema = z.object({
  as_of: z.string().nullish(),
  balanced: z.boolean(),
  totals: z.array(moneySchema),
  lines: z.array(
    z.object({
      account_id: z.number(),
      code: z.string(),
      name: z.string(),
      type: z.string(),
      owner_name: z.string().nullish(),
      owner_platform: z.string().nullish(),
      balance: moneySchema,
    }),
  ),
});
export type TrialBalance = z.infer<typeof trialBalanceSchema>;

export const accountPage = paginated(accountSchema);
export const postingPage = paginated(accountPostingSchema);
