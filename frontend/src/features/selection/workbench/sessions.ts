/** Live sessions (直播排期): the schedule and edit forms, lineups, slot fees, phases and the calendar's days. */
import { fromMinorUnits, toMinorUnits, type Money } from '@/lib/money';
import type { Dayjs } from 'dayjs';
import { dayjs, fromPicker, TIME_ZONE, toPicker } from '@/lib/time';
import type { Schemas, SessionCreate, SessionUpdate, Platform } from './types';
import { CURRENCY, yuanToMinor } from './amounts';

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
