import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { HistorySeries } from './logic';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

const COLORS = ['#c8102e', '#1677ff', '#52c41a', '#f5a623', '#722ed1', '#13c2c2'];
const AGING_COLORS = ['#52c41a', '#faad14', '#fa8c16', '#cf1322'];

/** Matched % per source over months: a dip shows at a glance where a month went wrong. */
export function MatchedHistoryChart({
  data,
  sourceLabel,
}: {
  data: HistorySeries;
  sourceLabel: (source: string) => string;
}) {
  return (
    <div data-testid="history-chart">
      <ReactEChartsCore
        echarts={echarts}
        style={{ height: 260 }}
        notMerge
        option={{
          animation: false,
          tooltip: {
            trigger: 'axis',
            valueFormatter: (v: number | null) => (v === null ? '—' : `${v}%`),
          },
          legend: { top: 0 },
          grid: { left: 48, right: 16, top: 40, bottom: 32 },
          xAxis: { type: 'category', data: data.periods },
          yAxis: {
            type: 'value',
            min: (v: { min: number }) => Math.max(0, Math.floor(v.min - 5)),
            max: 100,
            axisLabel: { formatter: '{value}%' },
          },
          series: data.series.map((s, i) => ({
            name: sourceLabel(s.source),
            type: 'line',
            connectNulls: true,
            data: s.values,
            itemStyle: { color: COLORS[i % COLORS.length] },
          })),
        }}
      />
    </div>
  );
}

/** Unresolved exceptions by age: the old ones are the ones that hurt. */
export function AgingChart({
  buckets,
  values,
  label,
}: {
  buckets: readonly string[];
  values: number[];
  label: string;
}) {
  return (
    <div data-testid="aging-chart">
      <ReactEChartsCore
        echarts={echarts}
        style={{ height: 260 }}
        notMerge
        option={{
          animation: false,
          tooltip: { trigger: 'axis' },
          grid: { left: 48, right: 16, top: 24, bottom: 32 },
          xAxis: { type: 'category', data: buckets },
          yAxis: { type: 'value', minInterval: 1 },
          series: [
            {
              name: label,
              type: 'bar',
              barMaxWidth: 48,
              data: values.map((value, i) => ({ value, itemStyle: { color: AGING_COLORS[i] } })),
            },
          ],
        }}
      />
    </div>
  );
}
