/** Samples (寄样): the request form, what a pick row offers, deadlines, shipping and the state colours. */
import type { SampleEligibility } from '../models';
import type { SampleCreate, Platform, SampleState } from './types';
import { bilingual } from './errors';

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
