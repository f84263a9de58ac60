/** Errors: which field an API error is about, and its message in the user's language. */

/** Field names the backend uses in selection errors, mapped to this feature's label keys. */
export const FIELD_LABELS = {
  anchor: 'fields.anchor',
  sku: 'fields.sku',
  platform: 'fields.platform',
  quantity: 'fields.quantity',
  ship_to: 'fields.shipTo',
  starts_at: 'fields.startsAt',
  ends_at: 'fields.endsAt',
  title: 'fields.title',
  lineup: 'fields.lineup',
  live_price_minor: 'fields.livePrice',
  stock_quantity: 'fields.stockQuantity',
  slot_fee_minor: 'fields.slotFee',
  pick: 'fields.pick',
  rate_bps: 'fields.rate',
  ads_rate_bps: 'fields.adsRate',
  tiers: 'fields.tiers',
  valid_to: 'fields.validTo',
  valid_from: 'fields.validFrom',
  target_anchor: 'fields.targetAnchor',
  target_mcn: 'fields.targetMcn',
  reason: 'fields.reason',
  content_url: 'fields.contentUrl',
  content_kind: 'fields.contentKind',
  state: 'fields.state',
  decide_by: 'fields.decideBy',
  content_due_at: 'fields.contentDue',
  extension: 'fields.extension',
  product: 'fields.product',
  min_fans: 'fields.minFans',
  platforms: 'fields.platforms',
  is_active: 'fields.isActive',
  monthly_cap_per_anchor: 'fields.monthlyCap',
  max_quantity: 'fields.maxQuantity',
  decision_days: 'fields.decisionDays',
  content_days: 'fields.contentDays',
  extension_days: 'fields.extensionDays',
  shipping_cost_minor: 'fields.shippingCost',
} as const;
export type FieldLabelKey = (typeof FIELD_LABELS)[keyof typeof FIELD_LABELS];

/** "lineup[1].live_price_minor" → { key: 'fields.livePrice', line: 2 }; unknown fields: null key. */
export function fieldOf(path: string): { key: FieldLabelKey | null; line: number | null } {
  const line = /\[(\d+)\]/.exec(path);
  const last =
    path
      .replace(/\[\d+\]/g, '')
      .split('.')
      .pop() ?? path;
  const key = (FIELD_LABELS as Record<string, FieldLabelKey>)[last] ?? null;
  return { key, line: line ? Number(line[1]) + 1 : null };
}

/**
 * The backend writes its messages in both languages, "中文 / English": the part for the UI's
 * language, or the whole message when it has no such split.
 */
export function bilingual(message: string, language: 'zh' | 'en'): string {
  const at = message.indexOf(' / ');
  if (at < 0) return message;
  return language === 'zh' ? message.slice(0, at).trim() : message.slice(at + 3).trim();
}

type Translate = (
  key: FieldLabelKey | 'errors.field' | 'errors.line',
  options?: Record<string, unknown>,
) => string;

/**
 * An API error as lines a user can act on, each naming the field at fault:
 * "平台：只接受 douyin/xiaohongshu 平台". Messages without a field come as they are.
 */
export function describeError(
  error: unknown,
  t: Translate,
  language: 'zh' | 'en',
): { field: string; path: string; message: string; text: string }[] {
  const fields =
    error && typeof error === 'object' && 'fields' in error
      ? ((error as { fields: Record<string, string[]> }).fields ?? {})
      : {};
  const out: { field: string; path: string; message: string; text: string }[] = [];
  for (const [path, messages] of Object.entries(fields)) {
    const { key, line } = fieldOf(path);
    const field = key ? t(key) : path;
    for (const raw of messages) {
      const message = bilingual(raw, language);
      const text =
        line !== null
          ? t('errors.line', { line, field, message })
          : t('errors.field', { field, message });
      out.push({ field, path, message, text });
    }
  }
  if (out.length === 0) {
    const detail = error instanceof Error ? error.message : String(error);
    out.push({
      field: '',
      path: '',
      message: bilingual(detail, language),
      text: bilingual(detail, language),
    });
  }
  return out;
}
