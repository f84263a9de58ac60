import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { ChartSeries } from './logic';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const COLORS = ['#c8102e', '#52c41a', '#f5a623', '#1677ff'];

/** Estimated vs settled per payee, stacked by who pays (operator or platform). */
export default function EarningsChart({ data }: { data: ChartSeries }) {
  return (
    <div data-testid="earnings-chart">
      <ReactEChartsCore
        echarts={echarts}
        style={{ height: 300 }}
        notMerge
        option={{
          animation: false,
          tooltip: { trigger: 'axis', valueFormatter: (v: number) => `¥${v.toFixed(2)}` },
          legend: { top: 0 },
          grid: { left: 64, right: 16, top: 40, bottom: 40 },
          xAxis: { type: 'category', data: data.labels, axisLabel: { hideOverlap: true } },
          yAxis: { type: 'value' },
          series: data.series.map((s, i) => ({
            name: s.name,
            type: 'bar',
            stack: s.stack,
            data: s.values,
            barMaxWidth: 40,
            itemStyle: { color: COLORS[i % COLORS.length] },
          })),
        }}
      />
    </div>
  );
}
