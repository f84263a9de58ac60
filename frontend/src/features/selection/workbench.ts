/**
 * The selection workbench's logic, kept apart from the screens so it can be tested: form values →
 * request bodies, rates typed as percents → basis points, rate-change effect, sample deadlines and
 * the sample ROI figures. Money typed by a user stays a decimal string and becomes fen through
 * bigint (`@/lib/money`); no float touches it.
 */
import type { components } from '@/api/schema';
import { fromMinorUnits, toMinorUnits, type Money } from '@/lib/money';
import type { Dayjs } from 'dayjs';
import type { SampleEligibility } from './models';
import { dayjs, fromPicker, TIME_ZONE, toPicker } from '@/lib/time';

type Schemas = components['schemas'];
export type PlanCreate = Schemas['PlanCreateRequest'];
export type PlanUpdate = Schemas['PatchedPlanUpdateRequest'];
export type SampleCreate = Schemas['SampleCreateRequest'];
export type SessionCreate = Schemas['SessionCreateRequest'];
export type SessionUpdate = Schemas['PatchedSessionUpdateRequest'];
export type SampleRuleWrite = Schemas['SampleRuleWriteRequest'];
export type Platform = Schemas['PlatformEnum'];
export type PlanType = Schemas['PlanTypeEnum'];

export const PLATFORMS: Platform[] = ['douyin', 'kuaishou', 'taobao', 'wechat', 'xiaohongshu'];
export const SAMPLE_STATES = [
  'pending',
  'approved',
  'rejected',
  'expired',
  'cancelled',
  'fulfilled',
] as const;
export type SampleState = (typeof SAMPLE_STATES)[number];
export const PICK_STATES = ['active', 'pending', 'rejected', 'removed'] as const;
export const APPLICATION_STATES = ['pending', 'approved', 'rejected'] as const;

const CURRENCY = 'CNY';
const PERCENT = /^(\d{1,3})(?:\.(\d{1,2}))?$/;
const MONEY_INPUT = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;
/** The backend's ceiling for any rate (selection.models.MAX_RATE_BPS). */
export const MAX_RATE_BPS = 8000;

// ---------------------------------------------------------------------------------------------
// Rates and amounts as typed.

/** "32" → 3200, "32.5" → 3250, "0.05" → 5; null when not a percent with at most two decimals. */
export function percentToBps(text: string | number | null | undefined): number | null {
  if (text == null) return null;
  const match = PERCENT.exec(String(text).trim().replace(/%$/, ''));
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** 3250 → "32.5", 3200 → "32", 5 → "0.05" (what a rate input shows). */
export function bpsToPercentText(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const cents = String(bps % 100).padStart(2, '0');
  return cents === '00' ? String(whole) : `${whole}.${cents.replace(/0$/, '')}`;
}

/** "168" → 16800, "1,234.5" → 123450, "¥9.9" → 990; null when not an amount in yuan and fen. */
export function yuanToMinor(text: string | number | null | undefined): number | null {
  if (text == null) return null;
  const cleaned = String(text)
    .trim()
    .replace(/^[¥￥]\s*/, '');
  const match = MONEY_INPUT.exec(cleaned);
  if (!match) return null;
  const whole = match[1].replace(/,/g, '');
  const amount = match[2] !== undefined ? `${whole}.${match[2]}` : whole;
  return Number(toMinorUnits(amount, CURRENCY));
}

/** 16800 → "168.00" (a yuan input's initial text). */
export function minorToYuanText(minor: number): string {
  return fromMinorUnits(BigInt(minor), CURRENCY);
}

export function minorToMoney(minor: number, currency = CURRENCY): Money {
  return { amount: fromMinorUnits(BigInt(minor), currency), currency };
}

// ---------------------------------------------------------------------------------------------
// Commission plans.

export interface TierInput {
  /** The anchor's month-to-date GMV of the product, in yuan as typed. */
  min_gmv?: string;
  /** Percent as typed. */
  rate?: string;
}

export interface Tier {
  min_gmv_minor: number;
  rate_bps: number;
}

/** Typed tiers → the API's tiers, ascending by threshold; rows left blank are dropped. */
export function tiersPayload(rows: TierInput[] | undefined): Tier[] {
  const tiers: Tier[] = [];
  for (const row of rows ?? []) {
    if (!row?.min_gmv?.trim() && !row?.rate?.trim()) continue;
    const min = yuanToMinor(row.min_gmv);
    const rate = percentToBps(row.rate);
    if (min === null || rate === null) throw new Error('tier');
    tiers.push({ min_gmv_minor: min, rate_bps: rate });
  }
  return tiers.sort((a, b) => a.min_gmv_minor - b.min_gmv_minor);
}

export interface PlanForm {
  product: number;
  sku?: number | null;
  plan_type: PlanType;
  name?: string;
  rate: string;
  ads_rate?: string;
  tiers?: TierInput[];
  approval?: 'auto' | 'manual';
  target_anchor?: number | null;
  target_mcn?: number | null;
  min_fans?: number | null;
  platforms?: Platform[];
  min_credit?: number | null;
  /** Picker values (wall clocks read as Asia/Shanghai, see lib/time). */
  valid_from?: Dayjs | null;
  valid_to?: Dayjs | null;
}

/** The create-plan form → POST /api/selection/plans/. Blank optional fields are left out. */
export function planCreatePayload(form: PlanForm): PlanCreate {
  const rate = percentToBps(form.rate);
  if (rate === null) throw new Error('rate');
  const body: PlanCreate = { product: form.product, plan_type: form.plan_type, rate_bps: rate };
  if (form.sku) body.sku = form.sku;
  if (form.name?.trim()) body.name = form.name.trim();
  if (form.ads_rate?.trim()) {
    const ads = percentToBps(form.ads_rate);
    if (ads === null) throw new Error('ads_rate');
    body.ads_rate_bps = ads;
  }
  const tiers = tiersPayload(form.tiers);
  if (tiers.length > 0) body.tiers = tiers;
  if (form.plan_type === 'exclusive') {
    if (form.target_anchor) body.target_anchor = form.target_anchor;
    else if (form.target_mcn) body.target_mcn = form.target_mcn;
  }
  // Open plans apply to every eligible anchor: approval is only meaningful for targeted ones.
  if (form.plan_type === 'targeted' && form.approval) body.approval = form.approval;
  if (form.min_fans) body.min_fans = form.min_fans;
  if (form.platforms && form.platforms.length > 0) body.platforms = form.platforms;
  if (form.min_credit != null) body.min_credit = form.min_credit;
  if (form.valid_from) body.valid_from = fromPicker(form.valid_from);
  if (form.valid_to) body.valid_to = fromPicker(form.valid_to);
  return body;
}

export interface RateTerms {
  rate_bps: number;
  ads_rate_bps?: number | null;
  tiers?: Tier[] | null;
}

export interface RateForm {
  rate: string;
  ads_rate?: string;
  tiers?: TierInput[];
}

/** The change-rate form → PATCH body: every rate field (the backend appends one version). */
export function rateChangePayload(form: RateForm): PlanUpdate {
  const rate = percentToBps(form.rate);
  if (rate === null) throw new Error('rate');
  const ads = form.ads_rate?.trim() ? percentToBps(form.ads_rate) : null;
  if (form.ads_rate?.trim() && ads === null) throw new Error('ads_rate');
  return { rate_bps: rate, ads_rate_bps: ads, tiers: tiersPayload(form.tiers) };
}

/** The rate a version pays at a month-to-date GMV (the highest tier reached, else the base rate). */
export function rateAt(terms: RateTerms, gmvMinor: number, ads: boolean): number {
  let rate = terms.rate_bps;
  for (const tier of [...(terms.tiers ?? [])].sort((a, b) => a.min_gmv_minor - b.min_gmv_minor)) {
    if (gmvMinor >= tier.min_gmv_minor) rate = tier.rate_bps;
  }
  if (ads && terms.ads_rate_bps != null) return Math.min(rate, terms.ads_rate_bps);
  return rate;
}

/**
 * What a rate change does, as the backend decides it (services._is_cut): a cut — the new terms pay
 * less anywhere, at any GMV step or for ads-driven orders — takes effect at the next Asia/Shanghai
 * midnight; a raise (or no current version) at once.
 */
export function rateChangeEffect(
  current: RateTerms | null | undefined,
  next: RateTerms,
): 'cut' | 'raise' | 'same' {
  if (!current) return 'raise';
  const thresholds = new Set<number>([0]);
  for (const tier of [...(next.tiers ?? []), ...(current.tiers ?? [])])
    thresholds.add(tier.min_gmv_minor);
  let higher = false;
  for (const gmv of thresholds) {
    for (const ads of [false, true]) {
      const before = rateAt(current, gmv, ads);
      const after = rateAt(next, gmv, ads);
      if (after < before) return 'cut';
      if (after > before) higher = true;
    }
  }
  return higher ? 'raise' : 'same';
}

/** When a change made at `now` takes effect: a cut at the next Asia/Shanghai midnight, else now. */
export function effectiveFrom(effect: 'cut' | 'raise' | 'same', now: Date = new Date()): string {
  if (effect !== 'cut') return now.toISOString();
  return dayjs(now).tz(TIME_ZONE).add(1, 'day').startOf('day').toDate().toISOString();
}

export interface VersionLike {
  id: number;
  effective_from: string;
}

/** A rate version's place in history: in force now, scheduled (a cut waiting for midnight), or past. */
export function versionStatus(
  version: VersionLike,
  current: VersionLike | null | undefined,
  now: Date = new Date(),
): 'in_force' | 'scheduled' | 'superseded' {
  if (current && version.id === current.id) return 'in_force';
  if (new Date(version.effective_from).getTime() > now.getTime()) return 'scheduled';
  return 'superseded';
}

/** A plan is live between valid_from and valid_to. */
export function planValidity(
  plan: { valid_from: string; valid_to?: string | null },
  now: Date = new Date(),
): 'upcoming' | 'active' | 'ended' {
  if (new Date(plan.valid_from).getTime() > now.getTime()) return 'upcoming';
  if (plan.valid_to && new Date(plan.valid_to).getTime() <= now.getTime()) return 'ended';
  return 'active';
}

// ---------------------------------------------------------------------------------------------
// Samples.

export interface SampleForm {
  anchor?: number;
  sku: number;
  platform: Platform;
  quantity?: number | null;
  ship_to: string;
  note?: string;
}

export function sampleCreatePayload(form: SampleForm): SampleCreate {
  const body: SampleCreate = {
    sku: form.sku,
    platform: form.platform,
    quantity: form.quantity && form.quantity > 0 ? form.quantity : 1,
    ship_to: form.ship_to.trim(),
  };
  if (form.anchor) body.anchor = form.anchor;
  if (form.note?.trim()) body.note = form.note.trim();
  return body;
}

/** What the pick row offers for samples: nothing when the product takes none (or the view is a
 * brand's), else the button, disabled with the reasons when the anchor may not ask now. */
export type SampleOffer =
  { kind: 'none' } | { kind: 'offer'; disabled: boolean; left: number; reasons: string[] };

export function sampleOffer(
  eligibility: SampleEligibility | null | undefined,
  language: 'zh' | 'en',
): SampleOffer {
  if (!eligibility?.takes_samples) return { kind: 'none' };
  return {
    kind: 'offer',
    disabled: !eligibility.eligible,
    left: eligibility.left,
    reasons: eligibility.reasons.map((r) => bilingual(r.message, language)),
  };
}

/** The form's starting values: the first platform the anchor may ask on, one unit, and the address
 * its (or its MCN's) last sample went to. */
export function sampleFormStart(eligibility: SampleEligibility | null | undefined): {
  platform: Platform;
  quantity: number;
  ship_to: string;
} {
  const open = eligibility?.platforms.find((p) => p.eligible)?.platform as Platform | undefined;
  return { platform: open ?? 'douyin', quantity: 1, ship_to: eligibility?.ship_to ?? '' };
}

export interface SampleLike {
  state?: string;
  decide_by: string;
  content_due_at?: string | null;
  extension_count?: number | null;
}

/**
 * The state a sample is shown in. A pending request past its decision deadline is expired even
 * before the nightly job marks it (the backend refuses to approve it then).
 */
export function sampleDisplayState(sample: SampleLike, now: Date = new Date()): SampleState {
  const state = (sample.state ?? 'pending') as SampleState;
  if (state === 'pending' && new Date(sample.decide_by).getTime() <= now.getTime())
    return 'expired';
  return state;
}

/** The deadline that matters now: the brand's decision for a pending request, content after approval. */
export function sampleDeadline(
  sample: SampleLike,
  now: Date = new Date(),
): { kind: 'decision' | 'content'; at: string; overdue: boolean } | null {
  const state = sampleDisplayState(sample, now);
  if (state === 'pending' || (state === 'expired' && sample.state === 'pending')) {
    return {
      kind: 'decision',
      at: sample.decide_by,
      overdue: new Date(sample.decide_by).getTime() <= now.getTime(),
    };
  }
  if (state === 'approved' && sample.content_due_at) {
    return {
      kind: 'content',
      at: sample.content_due_at,
      overdue: new Date(sample.content_due_at).getTime() <= now.getTime(),
    };
  }
  return null;
}

export function canDecideSample(sample: SampleLike, now: Date = new Date()): boolean {
  return sampleDisplayState(sample, now) === 'pending';
}

/** Where an approved sample stands on its way out: the brand sends it (`brand`), the operator's
 * warehouse does (`warehouse`), or it has left (`shipped`); null before approval. */
export function sampleShipping(sample: {
  state: string;
  hold?: { state: string; supply_reservation?: number | null } | null;
}): 'brand' | 'warehouse' | 'shipped' | null {
  if (sample.state !== 'approved' && sample.state !== 'fulfilled') return null;
  if (!sample.hold || sample.hold.state !== 'active') return 'shipped';
  return sample.hold.supply_reservation == null ? 'brand' : 'warehouse';
}

/** One extension, asked while content is still due. */
export function canExtendSample(sample: SampleLike, now: Date = new Date()): boolean {
  return (
    sample.state === 'approved' &&
    (sample.extension_count ?? 0) === 0 &&
    !!sample.content_due_at &&
    new Date(sample.content_due_at).getTime() > now.getTime()
  );
}

export function canRecordContent(sample: SampleLike): boolean {
  return sample.state === 'approved';
}

export const STATE_COLORS: Record<string, string> = {
  pending: 'gold',
  approved: 'green',
  active: 'green',
  fulfilled: 'blue',
  rejected: 'red',
  expired: 'default',
  cancelled: 'default',
  removed: 'default',
  scheduled: 'blue',
  in_force: 'green',
  scheduled_version: 'gold',
  superseded: 'default',
  upcoming: 'gold',
  ended: 'default',
  live: 'red',
};

// ---------------------------------------------------------------------------------------------
// Sample rules (寄样规则), one per product.

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

// ---------------------------------------------------------------------------------------------
// Live sessions.

export interface LineupInput {
  pick: number;
  /** Yuan as typed. */
  live_price: string;
  stock_quantity?: number | null;
  /** 坑位费 in yuan as typed; blank: none agreed. */
  slot_fee?: string;
}

export interface SessionForm {
  anchor?: number;
  platform: Platform;
  title: string;
  /** [start, end] picker values (wall clocks read as Asia/Shanghai, see lib/time). */
  range: [Dayjs, Dayjs];
  lineup?: LineupInput[];
}

/** The schedule form → POST /api/selection/sessions/ (prices and fees in fen). */
export function sessionCreatePayload(form: SessionForm): SessionCreate {
  const body: SessionCreate = {
    platform: form.platform,
    title: form.title.trim(),
    starts_at: fromPicker(form.range[0]),
    ends_at: fromPicker(form.range[1]),
    lineup: lineupPayload(form.lineup),
  };
  if (form.anchor) body.anchor = form.anchor;
  return body;
}

/** The lineup lines as the API takes them; throws Error("lineup[i].field") on an unreadable amount. */
function lineupPayload(lines: LineupInput[] | undefined): Schemas['LineupLineRequest'][] {
  return (lines ?? []).map((line, index) => {
    const price = yuanToMinor(line.live_price);
    if (price === null) throw new Error(`lineup[${index}].live_price`);
    const out: Schemas['LineupLineRequest'] = {
      pick: line.pick,
      live_price_minor: price,
      stock_quantity: line.stock_quantity ?? 0,
    };
    if (line.slot_fee?.trim()) {
      const fee = yuanToMinor(line.slot_fee);
      if (fee === null) throw new Error(`lineup[${index}].slot_fee`);
      out.slot_fee_minor = fee;
    }
    return out;
  });
}

export interface SessionLike {
  platform: string;
  title: string;
  starts_at: string;
  ends_at: string;
  items: {
    pick: number;
    position?: number;
    live_price: Money;
    stock_quantity?: number | null;
    slot_fee: Money | null;
  }[];
}

function itemsInOrder(session: SessionLike): SessionLike['items'] {
  return [...session.items].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}

/** A scheduled session → the edit form's initial values (amounts as yuan text, lines in order). */
export function sessionFormValues(
  session: SessionLike,
): Omit<SessionForm, 'range'> & { range: [Dayjs, Dayjs] } {
  return {
    platform: session.platform as Platform,
    title: session.title,
    range: [toPicker(session.starts_at), toPicker(session.ends_at)],
    lineup: itemsInOrder(session).map((item) => ({
      pick: item.pick,
      live_price: item.live_price.amount,
      stock_quantity: item.stock_quantity ?? 0,
      slot_fee: item.slot_fee ? item.slot_fee.amount : '',
    })),
  };
}

/**
 * The edit form → PATCH /api/selection/sessions/{id}/. Only the title, platform and times that
 * changed are sent; the lineup is sent whole (the backend replaces it) when any line changed. A
 * line keeping its SKU and units keeps its stock hold on the backend, so unchanged lines cost nothing.
 */
export function sessionUpdatePayload(before: SessionLike, form: SessionForm): SessionUpdate {
  const body: SessionUpdate = {};
  if (form.platform !== before.platform) body.platform = form.platform;
  const title = form.title.trim();
  if (title !== before.title) body.title = title;
  const starts = fromPicker(form.range[0]);
  const ends = fromPicker(form.range[1]);
  if (new Date(starts).getTime() !== new Date(before.starts_at).getTime()) body.starts_at = starts;
  if (new Date(ends).getTime() !== new Date(before.ends_at).getTime()) body.ends_at = ends;
  const lineup = lineupPayload(form.lineup);
  const old = itemsInOrder(before).map((item) => {
    const out: Schemas['LineupLineRequest'] = {
      pick: item.pick,
      live_price_minor: Number(toMinorUnits(item.live_price.amount, item.live_price.currency)),
      stock_quantity: item.stock_quantity ?? 0,
    };
    if (item.slot_fee)
      out.slot_fee_minor = Number(toMinorUnits(item.slot_fee.amount, item.slot_fee.currency));
    return out;
  });
  if (JSON.stringify(lineup) !== JSON.stringify(old)) body.lineup = lineup;
  return body;
}

/** The default live price of a lineup line: the retail price, kept inside the SKU's live range. */
export function defaultLivePrice(retail: Money, min?: Money | null, max?: Money | null): string {
  let minor = toMinorUnits(retail.amount, retail.currency);
  if (max)
    minor =
      minor > toMinorUnits(max.amount, max.currency)
        ? toMinorUnits(max.amount, max.currency)
        : minor;
  if (min)
    minor =
      minor < toMinorUnits(min.amount, min.currency)
        ? toMinorUnits(min.amount, min.currency)
        : minor;
  return fromMinorUnits(minor, retail.currency);
}

/** Total slot fees of a lineup, exactly. */
export function slotFeeTotal(items: { slot_fee: Money | null }[]): Money {
  let total = 0n;
  for (const item of items) {
    if (item.slot_fee) total += toMinorUnits(item.slot_fee.amount, item.slot_fee.currency);
  }
  return { amount: fromMinorUnits(total, CURRENCY), currency: CURRENCY };
}

/**
 * What a session is now: a scheduled session whose end has passed has aired (ended) and can no
 * longer be edited or cancelled (the backend refuses both); one under way is live.
 */
export function sessionPhase(
  session: { state: string; starts_at: string; ends_at: string },
  now: Date = new Date(),
): 'scheduled' | 'live' | 'ended' | 'cancelled' {
  if (session.state !== 'scheduled') return 'cancelled';
  if (new Date(session.ends_at).getTime() <= now.getTime()) return 'ended';
  if (new Date(session.starts_at).getTime() <= now.getTime()) return 'live';
  return 'scheduled';
}

/** Asia/Shanghai day key ("2026-11-27") of an instant, to put sessions on a calendar. */
export function localDay(iso: string): string {
  return dayjs(iso).tz(TIME_ZONE).format('YYYY-MM-DD');
}

export function sessionsByDay<T extends { starts_at: string }>(sessions: T[]): Map<string, T[]> {
  const days = new Map<string, T[]>();
  for (const session of [...sessions].sort((a, b) => a.starts_at.localeCompare(b.starts_at))) {
    const key = localDay(session.starts_at);
    days.set(key, [...(days.get(key) ?? []), session]);
  }
  return days;
}

// ---------------------------------------------------------------------------------------------
// Sample ROI.

export interface RoiRowLike {
  product_id: number;
  product_name: string;
  samples: number;
  anchors: number;
  cost: Money;
  gmv: Money;
  roi: string | null;
}

/** GMV ÷ cost to two decimals, half-up, in bigint; null when nothing was spent. */
export function roiRatio(cost: Money, gmv: Money): string | null {
  const costMinor = toMinorUnits(cost.amount, cost.currency);
  const gmvMinor = toMinorUnits(gmv.amount, gmv.currency);
  if (costMinor <= 0n) return null;
  const hundredths = (gmvMinor * 1000n) / costMinor; // three decimals, truncated
  const rounded = (hundredths + 5n) / 10n;
  return fromMinorUnits(rounded, 'CNY');
}

/** "12.34" → "12.34×"; null → "—". */
export function formatRoi(roi: string | null | undefined): string {
  return roi == null ? '—' : `${roi}×`;
}

export interface RoiSummary {
  samples: number;
  cost: Money;
  gmv: Money;
  roi: string | null;
}

/** Totals over the rows: samples, cost, GMV and the overall ROI (not an average of ratios). */
export function roiSummary(rows: RoiRowLike[]): RoiSummary {
  let cost = 0n;
  let gmv = 0n;
  let samples = 0;
  for (const row of rows) {
    cost += toMinorUnits(row.cost.amount, row.cost.currency);
    gmv += toMinorUnits(row.gmv.amount, row.gmv.currency);
    samples += row.samples;
  }
  const costMoney = { amount: fromMinorUnits(cost, CURRENCY), currency: CURRENCY };
  const gmvMoney = { amount: fromMinorUnits(gmv, CURRENCY), currency: CURRENCY };
  return { samples, cost: costMoney, gmv: gmvMoney, roi: roiRatio(costMoney, gmvMoney) };
}

/**
 * The bar chart's series: yuan per product. Chart libraries plot numbers; the labels and the
 * tooltip show the exact decimal strings, so the conversion never reaches what a user reads.
 */
export function roiChartData(rows: RoiRowLike[]): {
  labels: string[];
  cost: number[];
  gmv: number[];
  costText: string[];
  gmvText: string[];
} {
  return {
    labels: rows.map((row) => row.product_name),
    cost: rows.map((row) => Number(row.cost.amount)),
    gmv: rows.map((row) => Number(row.gmv.amount)),
    costText: rows.map((row) => row.cost.amount),
    gmvText: rows.map((row) => row.gmv.amount),
  };
}

// ---------------------------------------------------------------------------------------------
// Errors: which field an API error is about.

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

/** A two-decimal ratio from the API ("0.67", "1.00") as a percent ("67%", "100%"); null → "—". */
export function ratioPercent(ratio: string | null | undefined): string {
  if (ratio == null) return '—';
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(ratio.trim());
  if (!match) return ratio;
  return `${Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))}%`;
}
