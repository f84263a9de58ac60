/** Sample rules (寄样规则), one per product: the drawer's values and the POST body. */
import type { SampleRuleWrite, Platform } from './types';
import { yuanToMinor, minorToYuanText } from './amounts';

/** The backend's defaults for a new rule (selection.models.SampleRule). */
export const SAMPLE_RULE_DEFAULTS = {
  is_active: true,
  min_fans: 0,
  monthly_cap_per_anchor: 1,
  max_quantity: 2,
  decision_days: 3,
  content_days: 14,
  extension_days: 7,
  shipping_cost: '0.00',
};

export interface SampleRuleForm {
  is_active?: boolean;
  min_fans?: number | null;
  /** Empty: any platform. */
  platforms?: Platform[];
  monthly_cap_per_anchor?: number | null;
  max_quantity?: number | null;
  decision_days?: number | null;
  content_days?: number | null;
  extension_days?: number | null;
  /** Yuan as typed; blank: free shipping. */
  shipping_cost?: string;
}

export interface SampleRuleLike {
  is_active?: boolean;
  min_fans?: number;
  platforms?: string[];
  monthly_cap_per_anchor?: number;
  max_quantity?: number;
  decision_days?: number;
  content_days?: number;
  extension_days?: number;
  shipping_cost_minor?: number;
}

/** A product's rule (or none yet: the defaults) → the drawer's initial values. */
export function sampleRuleFormValues(rule: SampleRuleLike | null | undefined): SampleRuleForm {
  const d = SAMPLE_RULE_DEFAULTS;
  if (!rule) return { ...d, platforms: [] };
  return {
    is_active: rule.is_active ?? d.is_active,
    min_fans: rule.min_fans ?? d.min_fans,
    platforms: (rule.platforms ?? []) as Platform[],
    monthly_cap_per_anchor: rule.monthly_cap_per_anchor ?? d.monthly_cap_per_anchor,
    max_quantity: rule.max_quantity ?? d.max_quantity,
    decision_days: rule.decision_days ?? d.decision_days,
    content_days: rule.content_days ?? d.content_days,
    extension_days: rule.extension_days ?? d.extension_days,
    shipping_cost:
      rule.shipping_cost_minor != null
        ? minorToYuanText(rule.shipping_cost_minor)
        : d.shipping_cost,
  };
}

const RULE_NUMBERS = [
  'min_fans',
  'monthly_cap_per_anchor',
  'max_quantity',
  'decision_days',
  'content_days',
  'extension_days',
] as const;

/**
 * The rule drawer → POST /api/selection/sample-rules/ (creates the product's rule or changes it).
 * Every field is sent, so the saved rule is what the form shows; a blank number is left out (the
 * backend keeps its value), blank shipping is free. Throws Error('shipping_cost') on an amount it
 * cannot read. The backend rules on ranges (1–365 days, caps ≥ 1) and names the field.
 */
export function sampleRulePayload(product: number, form: SampleRuleForm): SampleRuleWrite {
  const body: SampleRuleWrite = {
    product,
    is_active: form.is_active ?? true,
    platforms: form.platforms ?? [],
  };
  for (const name of RULE_NUMBERS) {
    const value = form[name];
    if (value != null) body[name] = value;
  }
  const shipping = form.shipping_cost?.trim() ? yuanToMinor(form.shipping_cost) : 0;
  if (shipping === null) throw new Error('shipping_cost');
  body.shipping_cost_minor = shipping;
  return body;
}
