/** Commission plans: the create and change-rate forms, tiers, the rate at a GMV, versions and validity. */
import type { Dayjs } from 'dayjs';
import { dayjs, fromPicker, TIME_ZONE } from '@/lib/time';
import type { PlanCreate, PlanUpdate, Platform, PlanType } from './types';
import { percentToBps, yuanToMinor } from './amounts';

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
