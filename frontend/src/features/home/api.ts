import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { homeSchema, type HomeCard, type HomeData } from '@/api/models';

export function useHomeData() {
  return useQuery({
    queryKey: ['home'],
    queryFn: async (): Promise<HomeData> => homeSchema.parse(unwrap(await api.GET('/api/home/'))),
  });
}

export interface ChartData {
  labels: string[];
  values: number[];
}

const isNumberArray = (v: unknown): v is number[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'number');
const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumberRecord = (v: unknown): v is Record<string, number> =>
  isRecord(v) && Object.keys(v).length > 0 && Object.values(v).every((x) => typeof x === 'number');

/**
 * The home endpoint's optional `series` has no fixed shape yet; accept the common ones:
 * {labels|categories|x: [...], values|data|y: [...]}, {name: number, ...}, a list of
 * {label|name|key|kind…: …, value|count|total: number}, or an object holding one of those.
 * Without a series, chart the numeric cards (when there are at least two).
 */
export function chartDataFrom(
  series: unknown,
  cards: HomeCard[],
  language: 'zh' | 'en',
): ChartData | null {
  const fromSeries = parseSeries(series, 0);
  if (fromSeries && fromSeries.labels.length > 0) return fromSeries;
  const numeric = cards.filter(
    (c): c is HomeCard & { value: number } => typeof c.value === 'number',
  );
  // One bar says nothing the card does not.
  if (numeric.length < 2) return null;
  return {
    labels: numeric.map((c) => (language === 'en' ? c.label_en : c.label_zh)),
    values: numeric.map((c) => c.value),
  };
}

const VALUE_KEYS = ['value', 'count', 'total', 'amount'];
const LABEL_KEYS = ['label', 'name', 'key', 'kind', 'platform', 'period', 'month', 'date', 'day'];

function parseSeries(series: unknown, depth: number): ChartData | null {
  if (depth > 2 || series == null) return null;
  if (Array.isArray(series)) {
    const labels: string[] = [];
    const values: number[] = [];
    for (const item of series) {
      if (!isRecord(item)) return null;
      const value = VALUE_KEYS.map((k) => item[k]).find((v) => typeof v === 'number');
      const label = LABEL_KEYS.map((k) => item[k]).find(
        (v) => typeof v === 'string' || typeof v === 'number',
      );
      if (typeof value !== 'number' || label === undefined) return null;
      labels.push(String(label));
      values.push(value);
    }
    return { labels, values };
  }
  if (!isRecord(series)) return null;
  const labels = series.labels ?? series.categories ?? series.x;
  const values = series.values ?? series.data ?? series.y;
  if (isStringArray(labels) && isNumberArray(values) && labels.length === values.length) {
    return { labels, values };
  }
  if (isNumberRecord(series)) {
    return { labels: Object.keys(series), values: Object.values(series) };
  }
  for (const inner of Object.values(series)) {
    const parsed = parseSeries(inner, depth + 1);
    if (parsed && parsed.labels.length > 0) return parsed;
  }
  return null;
}
