/** What the plan forms share: the plan types offered and a rate input's rule. */
import { useSelectionT } from './i18n';
import { MAX_RATE_BPS, percentToBps, type PlanType } from './workbench';

export const PLAN_TYPES: PlanType[] = ['open', 'targeted', 'exclusive'];

/** A rate input's rule: a percent from 0 to 80 with at most two decimals. */
export function useRateRule(required: boolean) {
  const { t } = useSelectionT();
  return {
    validator: async (_: unknown, value: string | undefined) => {
      if (!value?.trim()) {
        if (required) throw new Error(t('plan.rateInvalid'));
        return;
      }
      const bps = percentToBps(value);
      if (bps === null || bps > MAX_RATE_BPS) throw new Error(t('plan.rateInvalid'));
    },
  };
}

/** Where the API's plan fields show their errors in the forms. */
export const PLAN_FORM_FIELDS: Record<string, (string | number)[]> = {
  rate_bps: ['rate'],
  ads_rate_bps: ['ads_rate'],
  tiers: ['tiers'],
  target_anchor: ['target_anchor'],
  target_mcn: ['target_mcn'],
  min_fans: ['min_fans'],
  platforms: ['platforms'],
  valid_to: ['validity'],
  valid_from: ['validity'],
  product: ['product'],
  sku: ['sku'],
  name: ['name'],
};
