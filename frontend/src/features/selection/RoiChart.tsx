import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { formatMoney } from '@/lib/money';
import type { RoiRow } from './models';
import { roiChartData } from './workbench';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Sample cost against the GMV the sampled anchors sold, per product. */
export default function RoiChart({
  rows,
  costLabel,
  gmvLabel,
}: {
  rows: RoiRow[];
  costLabel: string;
  gmvLabel: string;
}) {
  const data = roiChartData(rows);
  const currency = rows[0]?.cost.currency ?? 'CNY';
  const exact = (texts: string[]) => (index: number) =>
    formatMoney({ amount: texts[index], currency });
  const costText = exact(data.costText);
  const gmvText = exact(data.gmvText);
  return (
    <ReactEChartsCore
      echarts={echarts}
      style={{ height: 320 }}
      notMerge
      option={{
        animation: false,
        legend: { data: [costLabel, gmvLabel] },
        tooltip: {
          trigger: 'axis',
          formatter: (params: { dataIndex: number; axisValueLabel: string }[]) => {
            const index = params[0]?.dataIndex ?? 0;
            return `${params[0]?.axisValueLabel ?? ''}<br/>${costLabel}: ${costText(index)}<br/>${gmvLabel}: ${gmvText(index)}`;
          },
        },
        grid: { left: 72, right: 16, top: 40, bottom: 64 },
        xAxis: {
          type: 'category',
          data: data.labels,
          axisLabel: { interval: 0, rotate: data.labels.length > 4 ? 20 : 0 },
        },
        yAxis: {
          type: 'value',
          axisLabel: { formatter: (v: number) => `¥${v.toLocaleString('en-US')}` },
        },
        series: [
          {
            name: costLabel,
            type: 'bar',
            data: data.cost,
            itemStyle: { color: '#8c8c8c' },
            barMaxWidth: 36,
          },
          {
            name: gmvLabel,
            type: 'bar',
            data: data.gmv,
            itemStyle: { color: '#c8102e' },
            barMaxWidth: 36,
          },
        ],
      }}
    />
  );
}
