import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { ChartSeries } from './api';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

/** One measure on one axis: the bars of a single series, its tooltip showing the formatted figure. */
export default function HomeChart({ data, money }: { data: ChartSeries; money: boolean }) {
  return (
    <ReactEChartsCore
      echarts={echarts}
      style={{ height: 240 }}
      notMerge
      option={{
        animation: false,
        tooltip: {
          trigger: 'axis',
          formatter: (params: { dataIndex: number }[]) => {
            const index = params[0]?.dataIndex ?? 0;
            return `${data.labels[index]}<br/>${data.texts[index]}`;
          },
        },
        grid: { left: 64, right: 16, top: 16, bottom: 40 },
        xAxis: { type: 'category', data: data.labels, axisLabel: { hideOverlap: true } },
        yAxis: { type: 'value', minInterval: money ? undefined : 1 },
        series: [
          { type: 'bar', data: data.values, itemStyle: { color: '#c8102e' }, barMaxWidth: 48 },
        ],
      }}
    />
  );
}
