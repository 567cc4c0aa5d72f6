import { AlertLevel, METRIC_NAMES, METRICS, MetricName, Verdict } from '@seqpulse/contracts';

/** A deployment's verdict as drawn: one of the contract's, or `pending` (running, or not computed yet). */
export type VerdictState = Verdict | 'pending';

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
  /** Deployment regions and verdict badges, by verdict. */
  verdict: Record<VerdictState, string>;
  /** Firing periods on the charts, by level. */
  alert: Record<AlertLevel, string>;
  /** Silences and maintenance windows on the charts (drawn muted). */
  silence: string;
  maintenance: string;
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
  verdict: { ok: '#1b7f3b', warning: '#b26a00', rollback_recommended: '#c62828', inconclusive: '#6a4fb3', pending: '#5b6478' },
  alert: { warning: '#d98e04', critical: '#b71c1c' },
  silence: '#5b6478',
  maintenance: '#3f6fb5',
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
  verdict: { ok: '#4cc47a', warning: '#f0b429', rollback_recommended: '#ff6b6b', inconclusive: '#a98bff', pending: '#a3abbd' },
  alert: { warning: '#f0b429', critical: '#ff5252' },
  silence: '#a3abbd',
  maintenance: '#7aa7e8',
  line: lineColors('dark'),
};
