import { METRICS, MetricName } from '@seqpulse/contracts';
import type { EChartsCoreOption } from 'echarts/core';
import { formatDisplay, formatNumber } from '../../core/format';
import { ChartPoint, toSeriesData } from '../chart-options';
import { ChartTheme } from '../chart-theme';

export interface WindowComparisonInput {
  metric: MetricName;
  /** `[minutes from the window's start, display value]`; gaps are `null`. */
  pre: ChartPoint[];
  post: ChartPoint[];
  /** Length of the x axis (minutes). */
  minutes: number;
  theme: ChartTheme;
  /** The post line's colour (the verdict's when a rule fired on this metric). */
  postColour?: string;
}

/** The echarts option of one metric's pre/post comparison: both windows over each other on a minutes axis. */
export function windowComparisonOption(input: WindowComparisonInput): EChartsCoreOption {
  const { theme, metric } = input;
  const def = METRICS[metric];
  const line = (id: string, name: string, points: ChartPoint[], colour: string, dashed: boolean) => ({
    id,
    name,
    type: 'line',
    data: toSeriesData(points),
    connectNulls: false,
    symbol: 'none',
    showSymbol: true,
    symbolSize: 4,
    lineStyle: { width: 1.5, color: colour, type: dashed ? 'dashed' : 'solid' },
    itemStyle: { color: colour },
    emphasis: { disabled: true },
  });
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: theme.text },
    grid: { left: 8, right: 16, top: 28, bottom: 28, containLabel: true },
    legend: { top: 0, right: 8, textStyle: { color: theme.muted }, itemHeight: 8 },
    tooltip: {
      trigger: 'axis',
      backgroundColor: theme.tooltipBg,
      borderColor: theme.grid,
      textStyle: { color: theme.tooltipText },
      valueFormatter: (value: unknown) => formatDisplay(metric, typeof value === 'number' ? value : null),
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: Math.max(input.minutes, 1),
      name: 'min into window',
      nameLocation: 'middle',
      nameGap: 22,
      nameTextStyle: { color: theme.muted },
      axisLine: { lineStyle: { color: theme.axis } },
      axisLabel: { color: theme.muted, formatter: (v: number) => formatNumber(v) },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      min: 0,
      axisLabel: { color: theme.muted, formatter: `{value} ${def.displayUnit}` },
      splitLine: { lineStyle: { color: theme.grid } },
    },
    series: [
      line('pre', 'before (pre)', input.pre, theme.muted, true),
      line('post', 'after (post)', input.post, input.postColour ?? theme.line[metric], false),
    ],
  };
}
