import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { homeSchema, type HomeCard, type HomeChartData, type HomeData } from '@/api/models';
import { formatCount } from '@/lib/format';
import { formatMoney, fromMinorUnits, toMinorUnits } from '@/lib/money';

export function useHomeData() {
  return useQuery({
    queryKey: ['home'],
    queryFn: async (): Promise<HomeData> => homeSchema.parse(unwrap(await api.GET('/api/home/'))),
  });
}

/** The figure as text: counts with separators, money with the one money formatter. */
export function cardText(card: HomeCard): string {
  if (card.amount) return formatMoney(card.amount);
  if (card.count !== null) return formatCount(card.count);
  return card.text ?? '—';
}

/** Cards in the order the API gives them, grouped by their `group`. */
export function groupCards(cards: HomeCard[]): { group: string; cards: HomeCard[] }[] {
  const groups: { group: string; cards: HomeCard[] }[] = [];
  for (const card of cards) {
    const last = groups.find((g) => g.group === card.group);
    if (last) last.cards.push(card);
    else groups.push({ group: card.group, cards: [card] });
  }
  return groups;
}

export interface ChartSeries {
  labels: string[];
  /** Bar heights: only the drawing uses a number; tooltips show `texts`. */
  values: number[];
  texts: string[];
}

/** One chart's single measure, ready to draw. */
export function chartSeries(chart: HomeChartData, label: (raw: string) => string): ChartSeries {
  return {
    labels: chart.points.map((p) => label(p.label)),
    values: chart.points.map((p) =>
      p.amount
        ? Number(
            fromMinorUnits(toMinorUnits(p.amount.amount, p.amount.currency), p.amount.currency),
          )
        : (p.count ?? 0),
    ),
    texts: chart.points.map((p) => (p.amount ? formatMoney(p.amount) : formatCount(p.count ?? 0))),
  };
}
