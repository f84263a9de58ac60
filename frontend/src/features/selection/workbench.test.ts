import type { Dayjs } from 'dayjs';
import { describe, expect, it } from 'vitest';
import { dayjs } from '@/lib/time';
import { fieldErrors, SelectionApiError } from './api';
import {
  bilingual,
  bpsToPercentText,
  canExtendSample,
  defaultLivePrice,
  describeError,
  effectiveFrom,
  fieldOf,
  formatRoi,
  percentToBps,
  planCreatePayload,
  planValidity,
  rateChangeEffect,
  rateChangePayload,
  ratioPercent,
  roiChartData,
  roiRatio,
  roiSummary,
  sampleCreatePayload,
  sampleDeadline,
  sampleDisplayState,
  sampleRuleFormValues,
  sampleRulePayload,
  sessionCreatePayload,
  sessionFormValues,
  sessionsByDay,
  sessionUpdatePayload,
  slotFeeTotal,
  tiersPayload,
  versionStatus,
  yuanToMinor,
} from './workbench';

const cny = (amount: string) => ({ amount, currency: 'CNY' });
/** What antd's picker hands back when a person picks this wall clock: a browser-local dayjs. */
const picked = (wallClock: string) => dayjs(wallClock.replace(' ', 'T'));
const NOW = new Date('2026-11-25T04:00:00Z'); // 12:00 in Shanghai

describe('rates and amounts as typed', () => {
  it('reads percents into basis points without floats', () => {
    expect(percentToBps('32')).toBe(3200);
    expect(percentToBps('32.5')).toBe(3250);
    expect(percentToBps(' 0.05% ')).toBe(5);
    expect(percentToBps('28.75')).toBe(2875);
    expect(percentToBps('1.234')).toBeNull();
    expect(percentToBps('-3')).toBeNull();
    expect(percentToBps('')).toBeNull();
    expect(bpsToPercentText(3250)).toBe('32.5');
    expect(bpsToPercentText(3200)).toBe('32');
    expect(bpsToPercentText(5)).toBe('0.05');
  });

  it('reads yuan into fen', () => {
    expect(yuanToMinor('168')).toBe(16800);
    expect(yuanToMinor('¥1,234.5')).toBe(123450);
    expect(yuanToMinor('0.07')).toBe(7);
    expect(yuanToMinor('1.999')).toBeNull();
    expect(yuanToMinor('abc')).toBeNull();
  });
});

describe('plan payloads', () => {
  it('builds a targeted plan with tiers sorted, eligibility and validity', () => {
    expect(
      planCreatePayload({
        product: 7,
        sku: 70,
        plan_type: 'targeted',
        name: ' 明前特级 ',
        rate: '35',
        ads_rate: '30.5',
        tiers: [
          { min_gmv: '20,000', rate: '40' },
          { min_gmv: '', rate: '' },
          { min_gmv: '5000', rate: '38' },
        ],
        approval: 'manual',
        min_fans: 500000,
        platforms: ['douyin'],
        min_credit: 80,
        valid_from: picked('2026-12-01 08:00'),
        valid_to: null,
      }),
    ).toEqual({
      product: 7,
      sku: 70,
      plan_type: 'targeted',
      name: '明前特级',
      rate_bps: 3500,
      ads_rate_bps: 3050,
      tiers: [
        { min_gmv_minor: 500000, rate_bps: 3800 },
        { min_gmv_minor: 2000000, rate_bps: 4000 },
      ],
      approval: 'manual',
      min_fans: 500000,
      platforms: ['douyin'],
      min_credit: 80,
      valid_from: '2026-12-01T00:00:00.000Z',
    });
  });

  it('sends only what an open plan needs, and one target for an exclusive one', () => {
    expect(
      planCreatePayload({ product: 1, plan_type: 'open', rate: '20', approval: 'manual' }),
    ).toEqual({ product: 1, plan_type: 'open', rate_bps: 2000 });
    expect(
      planCreatePayload({
        product: 1,
        plan_type: 'exclusive',
        rate: '32',
        target_anchor: 9,
        target_mcn: 4,
      }),
    ).toEqual({ product: 1, plan_type: 'exclusive', rate_bps: 3200, target_anchor: 9 });
  });

  it('refuses a rate or a tier that is not a percent', () => {
    expect(() => planCreatePayload({ product: 1, plan_type: 'open', rate: '20.123' })).toThrow();
    expect(() => tiersPayload([{ min_gmv: '100', rate: '' }])).toThrow();
  });

  it('sends every rate field on a change (null ads rate: same as base)', () => {
    expect(rateChangePayload({ rate: '18', ads_rate: '', tiers: [] })).toEqual({
      rate_bps: 1800,
      ads_rate_bps: null,
      tiers: [],
    });
  });
});

describe('rate change effect (a cut tomorrow, a raise now)', () => {
  const current = {
    rate_bps: 2500,
    ads_rate_bps: null,
    tiers: [{ min_gmv_minor: 500000, rate_bps: 2800 }],
  };

  it('calls a lower base rate a cut and a higher one a raise', () => {
    expect(rateChangeEffect(current, { ...current, rate_bps: 2000 })).toBe('cut');
    expect(rateChangeEffect(current, { ...current, rate_bps: 2600 })).toBe('raise');
    expect(rateChangeEffect(current, { ...current })).toBe('same');
    expect(rateChangeEffect(null, { rate_bps: 1000 })).toBe('raise');
  });

  it('calls it a cut when it pays less anywhere: a dropped tier or a lower ads rate', () => {
    expect(rateChangeEffect(current, { rate_bps: 2600, tiers: [] })).toBe('cut');
    expect(rateChangeEffect(current, { ...current, rate_bps: 3000, ads_rate_bps: 2000 })).toBe(
      'cut',
    );
  });

  it('dates a cut at the next Shanghai midnight and a raise now', () => {
    expect(effectiveFrom('cut', NOW)).toBe('2026-11-25T16:00:00.000Z');
    expect(effectiveFrom('raise', NOW)).toBe(NOW.toISOString());
  });

  it('places versions in history', () => {
    const current_ = { id: 2, effective_from: '2026-11-20T00:00:00Z' };
    expect(versionStatus(current_, current_, NOW)).toBe('in_force');
    expect(versionStatus({ id: 3, effective_from: '2026-11-25T16:00:00Z' }, current_, NOW)).toBe(
      'scheduled',
    );
    expect(versionStatus({ id: 1, effective_from: '2026-11-01T00:00:00Z' }, current_, NOW)).toBe(
      'superseded',
    );
    expect(planValidity({ valid_from: '2026-11-01T00:00:00Z', valid_to: null }, NOW)).toBe(
      'active',
    );
    expect(planValidity({ valid_from: '2026-12-01T00:00:00Z' }, NOW)).toBe('upcoming');
    expect(
      planValidity({ valid_from: '2026-11-01T00:00:00Z', valid_to: '2026-11-02T00:00:00Z' }, NOW),
    ).toBe('ended');
  });
});

describe('samples', () => {
  const pending = { state: 'pending', decide_by: '2026-11-27T04:00:00Z' };

  it('builds the request body', () => {
    expect(
      sampleCreatePayload({
        anchor: 3,
        sku: 11,
        platform: 'douyin',
        quantity: null,
        ship_to: ' 成都市武侯区 ',
        note: '',
      }),
    ).toEqual({ anchor: 3, sku: 11, platform: 'douyin', quantity: 1, ship_to: '成都市武侯区' });
  });

  it('shows a pending request past its decision deadline as expired', () => {
    expect(sampleDisplayState(pending, NOW)).toBe('pending');
    expect(sampleDisplayState({ ...pending, decide_by: '2026-11-25T03:00:00Z' }, NOW)).toBe(
      'expired',
    );
    expect(sampleDisplayState({ ...pending, state: 'fulfilled' }, NOW)).toBe('fulfilled');
  });

  it('names the deadline that matters now', () => {
    expect(sampleDeadline(pending, NOW)).toEqual({
      kind: 'decision',
      at: pending.decide_by,
      overdue: false,
    });
    const approved = {
      state: 'approved',
      decide_by: '2026-11-20T00:00:00Z',
      content_due_at: '2026-11-24T00:00:00Z',
      extension_count: 0,
    };
    expect(sampleDeadline(approved, NOW)).toEqual({
      kind: 'content',
      at: approved.content_due_at,
      overdue: true,
    });
    expect(sampleDeadline({ ...approved, state: 'rejected' }, NOW)).toBeNull();
  });

  it('allows one extension while content is still due', () => {
    const approved = {
      state: 'approved',
      decide_by: '2026-11-20T00:00:00Z',
      content_due_at: '2026-12-01T00:00:00Z',
      extension_count: 0,
    };
    expect(canExtendSample(approved, NOW)).toBe(true);
    expect(canExtendSample({ ...approved, extension_count: 1 }, NOW)).toBe(false);
    expect(canExtendSample({ ...approved, content_due_at: '2026-11-24T00:00:00Z' }, NOW)).toBe(
      false,
    );
    expect(canExtendSample({ ...approved, state: 'fulfilled' }, NOW)).toBe(false);
  });
});

describe('live sessions', () => {
  it('builds a lineup in fen with the slot fee only when agreed', () => {
    expect(
      sessionCreatePayload({
        platform: 'douyin',
        title: ' 小满川味专场 ',
        range: [picked('2026-11-27 20:00'), picked('2026-11-27 23:00')],
        lineup: [
          { pick: 5, live_price: '242.10', stock_quantity: 20, slot_fee: '3,000' },
          { pick: 6, live_price: '19.9', stock_quantity: null, slot_fee: '' },
        ],
      }),
    ).toEqual({
      platform: 'douyin',
      title: '小满川味专场',
      starts_at: '2026-11-27T12:00:00.000Z',
      ends_at: '2026-11-27T15:00:00.000Z',
      lineup: [
        { pick: 5, live_price_minor: 24210, stock_quantity: 20, slot_fee_minor: 300000 },
        { pick: 6, live_price_minor: 1990, stock_quantity: 0 },
      ],
    });
  });

  it('books 2026-12-20 20:00–22:00 as Shanghai time whatever the browser zone', () => {
    const body = sessionCreatePayload({
      platform: 'douyin',
      title: '年货节专场',
      range: [picked('2026-12-20 20:00'), picked('2026-12-20 22:00')],
      lineup: [],
    });
    expect([body.starts_at, body.ends_at]).toEqual([
      '2026-12-20T12:00:00.000Z',
      '2026-12-20T14:00:00.000Z',
    ]);
  });

  it('names the line whose price is not an amount', () => {
    expect(() =>
      sessionCreatePayload({
        platform: 'douyin',
        title: 'x',
        range: [picked('2026-11-27 20:00'), picked('2026-11-27 23:00')],
        lineup: [
          { pick: 1, live_price: '1' },
          { pick: 2, live_price: '1.234' },
        ],
      }),
    ).toThrow('lineup[1].live_price');
  });

  it('keeps the default live price inside the SKU range', () => {
    expect(defaultLivePrice(cny('269.00'), cny('199.00'), cny('259.00'))).toBe('259.00');
    expect(defaultLivePrice(cny('99.00'), cny('119.00'), cny('259.00'))).toBe('119.00');
    expect(defaultLivePrice(cny('209.90'), null, null)).toBe('209.90');
  });

  it('adds slot fees exactly and groups sessions by Shanghai day', () => {
    expect(
      slotFeeTotal([{ slot_fee: cny('0.10') }, { slot_fee: null }, { slot_fee: cny('0.20') }]),
    ).toEqual(cny('0.30'));
    const days = sessionsByDay([
      { id: 2, starts_at: '2026-11-27T16:30:00Z' }, // 00:30 on the 28th in Shanghai
      { id: 1, starts_at: '2026-11-27T12:00:00Z' },
    ]);
    expect([...days.keys()]).toEqual(['2026-11-27', '2026-11-28']);
  });
});

describe('sample ROI', () => {
  const rows = [
    {
      product_id: 1,
      product_name: '叙府窖 52度',
      samples: 2,
      anchors: 1,
      cost: cny('331.00'),
      gmv: cny('48420.00'),
      roi: '146.28',
    },
    {
      product_id: 2,
      product_name: '冷吃兔',
      samples: 3,
      anchors: 2,
      cost: cny('0.03'),
      gmv: cny('0.02'),
      roi: '0.67',
    },
  ];

  it('divides GMV by cost to two decimals, half-up, without floats', () => {
    expect(roiRatio(cny('331.00'), cny('48420.00'))).toBe('146.28');
    expect(roiRatio(cny('0.03'), cny('0.02'))).toBe('0.67');
    expect(roiRatio(cny('3.00'), cny('1.00'))).toBe('0.33');
    expect(roiRatio(cny('8.00'), cny('1.00'))).toBe('0.13'); // 0.125 rounds up
    expect(roiRatio(cny('0'), cny('10'))).toBeNull();
    expect(formatRoi('146.28')).toBe('146.28×');
    expect(formatRoi(null)).toBe('—');
  });

  it('totals the rows and takes the overall ratio, not an average of ratios', () => {
    expect(roiSummary(rows)).toEqual({
      samples: 5,
      cost: cny('331.03'),
      gmv: cny('48420.02'),
      roi: '146.27',
    });
    expect(roiSummary([])).toEqual({ samples: 0, cost: cny('0.00'), gmv: cny('0.00'), roi: null });
  });

  it('gives the chart its series with the exact texts beside', () => {
    expect(roiChartData(rows)).toEqual({
      labels: ['叙府窖 52度', '冷吃兔'],
      cost: [331, 0.03],
      gmv: [48420, 0.02],
      costText: ['331.00', '0.03'],
      gmvText: ['48420.00', '0.02'],
    });
    expect(ratioPercent('0.67')).toBe('67%');
    expect(ratioPercent('1.00')).toBe('100%');
    expect(ratioPercent(null)).toBe('—');
  });
});

describe('errors name the field', () => {
  const t = (key: string, options?: Record<string, unknown>) =>
    key === 'errors.field'
      ? `${String(options?.field)}：${String(options?.message)}`
      : key === 'errors.line'
        ? `第 ${String(options?.line)} 行 ${String(options?.field)}：${String(options?.message)}`
        : ({
            'fields.platform': '平台',
            'fields.livePrice': '直播价',
            'fields.startsAt': '开始时间',
          }[key] ?? key);

  it('reads the service shape and the serializer shape', () => {
    expect(
      fieldErrors({
        detail: '只接受 douyin 平台 / only douyin',
        code: 'invalid',
        errors: { platform: ['只接受 douyin 平台 / only douyin'] },
      }),
    ).toEqual({ platform: ['只接受 douyin 平台 / only douyin'] });
    expect(
      fieldErrors({ lineup: { '1': { live_price_minor: ['A valid integer is required.'] } } }),
    ).toEqual({
      'lineup[1].live_price_minor': ['A valid integer is required.'],
    });
    expect(fieldErrors({ lineup: [{}, { pick: ['bad'] }] })).toEqual({ 'lineup[1].pick': ['bad'] });
  });

  it('says which field, in the UI language', () => {
    const error = new SelectionApiError(400, {
      detail: '只接受 douyin/xiaohongshu 平台 / only douyin, xiaohongshu',
      errors: { platform: ['只接受 douyin/xiaohongshu 平台 / only douyin, xiaohongshu'] },
    });
    expect(describeError(error, t, 'zh').map((l) => l.text)).toEqual([
      '平台：只接受 douyin/xiaohongshu 平台',
    ]);
    const line = new SelectionApiError(400, {
      errors: {
        'lineup[0].live_price_minor': [
          "直播价须在 19900–25900 分之间 / live price must be within the SKU's range",
        ],
      },
    });
    expect(describeError(line, t, 'en').map((l) => l.text)).toEqual([
      "第 1 行 直播价：live price must be within the SKU's range",
    ]);
    const conflict = new SelectionApiError(409, {
      detail: '该主播此时段已有直播 / the anchor has another session at that time',
      code: 'overlap',
      errors: { starts_at: ['该主播此时段已有直播 / the anchor has another session at that time'] },
    });
    expect(conflict.status).toBe(409);
    expect(describeError(conflict, t, 'zh')[0].text).toBe('开始时间：该主播此时段已有直播');
    expect(describeError(new Error('boom / 炸'), t, 'zh')[0].text).toBe('boom');
  });

  it('splits bilingual messages and maps field paths', () => {
    expect(bilingual('粉丝不足 / too few fans', 'en')).toBe('too few fans');
    expect(bilingual('plain', 'zh')).toBe('plain');
    expect(fieldOf('lineup[2].slot_fee_minor')).toEqual({ key: 'fields.slotFee', line: 3 });
    expect(fieldOf('mystery')).toEqual({ key: null, line: null });
  });
});

describe('sample rule payloads', () => {
  it('starts a new rule from the backend defaults and reads a saved one back', () => {
    expect(sampleRuleFormValues(null)).toEqual({
      is_active: true,
      min_fans: 0,
      platforms: [],
      monthly_cap_per_anchor: 1,
      max_quantity: 2,
      decision_days: 3,
      content_days: 14,
      extension_days: 7,
      shipping_cost: '0.00',
    });
    expect(
      sampleRuleFormValues({
        is_active: false,
        min_fans: 50000,
        platforms: ['douyin'],
        monthly_cap_per_anchor: 2,
        max_quantity: 1,
        decision_days: 5,
        content_days: 10,
        extension_days: 3,
        shipping_cost_minor: 1250,
      }),
    ).toMatchObject({ is_active: false, platforms: ['douyin'], shipping_cost: '12.50' });
  });

  it('sends every field, shipping in fen, blank numbers left to the backend', () => {
    expect(
      sampleRulePayload(5, {
        is_active: true,
        min_fans: 100000,
        platforms: ['douyin', 'kuaishou'],
        monthly_cap_per_anchor: 2,
        max_quantity: 1,
        decision_days: 2,
        content_days: 10,
        extension_days: null,
        shipping_cost: '¥12.5',
      }),
    ).toEqual({
      product: 5,
      is_active: true,
      min_fans: 100000,
      platforms: ['douyin', 'kuaishou'],
      monthly_cap_per_anchor: 2,
      max_quantity: 1,
      decision_days: 2,
      content_days: 10,
      shipping_cost_minor: 1250,
    });
    // No platforms chosen: any platform (an empty list clears a former restriction).
    expect(sampleRulePayload(5, { shipping_cost: '' })).toEqual({
      product: 5,
      is_active: true,
      platforms: [],
      shipping_cost_minor: 0,
    });
    expect(() => sampleRulePayload(5, { shipping_cost: '1.234' })).toThrow('shipping_cost');
  });
});

describe('session edit payloads', () => {
  const SESSION = {
    platform: 'douyin',
    title: '小满川味专场',
    starts_at: '2026-11-27T12:00:00Z',
    ends_at: '2026-11-27T15:00:00Z',
    items: [
      {
        pick: 6,
        position: 1,
        live_price: cny('19.90'),
        stock_quantity: 0,
        slot_fee: null,
      },
      {
        pick: 5,
        position: 0,
        live_price: cny('242.10'),
        stock_quantity: 20,
        slot_fee: cny('3000.00'),
      },
    ],
  };

  it('prefills the form in lineup order with amounts in yuan', () => {
    const values = sessionFormValues(SESSION);
    expect(values.title).toBe('小满川味专场');
    // The picker shows the Shanghai wall clock, whatever the browser's zone.
    expect(values.range.map((v) => v.format('YYYY-MM-DD HH:mm'))).toEqual([
      '2026-11-27 20:00',
      '2026-11-27 23:00',
    ]);
    expect(values.lineup).toEqual([
      { pick: 5, live_price: '242.10', stock_quantity: 20, slot_fee: '3000.00' },
      { pick: 6, live_price: '19.90', stock_quantity: 0, slot_fee: '' },
    ]);
  });

  it('sends nothing when nothing changed', () => {
    expect(sessionUpdatePayload(SESSION, sessionFormValues(SESSION))).toEqual({});
  });

  it('sends the changed fields and the whole lineup when a line changed', () => {
    const values = sessionFormValues(SESSION);
    values.title = ' 小满川味专场（加场） ';
    values.lineup![0] = { ...values.lineup![0], live_price: '239' };
    expect(sessionUpdatePayload(SESSION, values)).toEqual({
      title: '小满川味专场（加场）',
      lineup: [
        { pick: 5, live_price_minor: 23900, stock_quantity: 20, slot_fee_minor: 300000 },
        { pick: 6, live_price_minor: 1990, stock_quantity: 0 },
      ],
    });
  });

  it('sends new times without the lineup, and names a line it cannot read', () => {
    const moved = {
      ...sessionFormValues(SESSION),
      range: [picked('2026-11-28 20:00'), picked('2026-11-28 22:00')] as [Dayjs, Dayjs],
    };
    expect(sessionUpdatePayload(SESSION, moved)).toEqual({
      starts_at: '2026-11-28T12:00:00.000Z',
      ends_at: '2026-11-28T14:00:00.000Z',
    });
    const bad = sessionFormValues(SESSION);
    bad.lineup![1] = { ...bad.lineup![1], slot_fee: 'abc' };
    expect(() => sessionUpdatePayload(SESSION, bad)).toThrow('lineup[1].slot_fee');
  });
});
