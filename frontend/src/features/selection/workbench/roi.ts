/** Sample ROI: ratios in bigint, the totals, the chart's series; ratios from the API as percents. */
import { fromMinorUnits, toMinorUnits, type Money } from '@/lib/money';
import { CURRENCY } from './amounts';

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

/** A two-decimal ratio from the API ("0.67", "1.00") as a percent ("67%", "100%"); null → "—". */
export function ratioPercent(ratio: string | null | undefined): string {
  if (ratio == null) return '—';
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(ratio.trim());
  if (!match) return ratio;
  return `${Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))}%`;
}
