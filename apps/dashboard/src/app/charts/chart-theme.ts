import { METRIC_NAMES, METRICS, MetricName } from '@seqpulse/contracts';

/** Each metric's line colour comes from the metric catalogue. */
function lineColors(scheme: 'light' | 'dark'): Record<MetricName, string> {
  return Object.fromEntries(METRIC_NAMES.map((m) => [m, METRICS[m].color[scheme]])) as Record<MetricName, string>;
}

/** Colours the chart builder needs; one palette per colour scheme. */
export interface ChartTheme {
  text: string;
  muted: string;
  axis: string;
  grid: string;
  tooltipBg: string;
  tooltipText: string;
  threshold: string;
  success: string;
  failed: string;
  pending: string;
  line: Record<MetricName, string>;
}

export const LIGHT_CHART_THEME: ChartTheme = {
  text: '#1d2433',
  muted: '#5b6478',
  axis: '#9aa3b5',
  grid: '#e6e9f0',
  tooltipBg: '#ffffff',
  tooltipText: '#1d2433',
  threshold: '#c62828',
  success: '#1b7f3b',
  failed: '#c62828',
  pending: '#b26a00',
  line: lineColors('light'),
};

export const DARK_CHART_THEME: ChartTheme = {
  text: '#e4e8f1',
  muted: '#a3abbd',
  axis: '#5d667a',
  grid: '#2b3242',
  tooltipBg: '#1b2130',
  tooltipText: '#e4e8f1',
  threshold: '#ff6b6b',
  success: '#4cc47a',
  failed: '#ff6b6b',
  pending: '#f0b429',
  line: lineColors('dark'),
};
