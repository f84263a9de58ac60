import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { ChartData } from './api';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export default function HomeChart({ data }: { data: ChartData }) {
  return (
    <ReactEChartsCore
      echarts={echarts}
      style={{ height: 260 }}
      notMerge
      option={{
        animation: false,
        tooltip: { trigger: 'axis' },
        grid: { left: 48, right: 16, top: 16, bottom: 40 },
        xAxis: {
          type: 'category',
          data: data.labels,
          axisLabel: { interval: 0, hideOverlap: true },
        },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { type: 'bar', data: data.values, itemStyle: { color: '#c8102e' }, barMaxWidth: 48 },
        ],
      }}
    />
  );
}
