import {
  AlertRuleView,
  DeploymentMarker,
  METRIC_NAMES,
  METRICS,
  MetricName,
  THRESHOLD_RULE_METRIC,
  TimeseriesResponse,
} from '@seqpulse/contracts';
import type { EChartsCoreOption } from 'echarts/core';
import { formatDateTime, formatDisplay } from '../core/format';
import { ChartTheme } from './chart-theme';

/** `[epoch ms, displayed value]`; `null` is an empty bucket and stays a gap. */
export type ChartPoint = [number, number | null];

export interface TimeWindow {
  from: number;
  to: number;
}

export interface MetricChartInput {
  metric: MetricName;
  points: ChartPoint[];
  deployments: DeploymentMarker[];
  /** Raw threshold (ratio for %, ms for latency); `null` draws no line. */
  threshold: number | null;
  window: TimeWindow;
  theme: ChartTheme;
}

/** The series id used by live updates to merge new data into the drawn series. */
export const SERIES_ID = 'value';

/** Response series → chart points: display factor applied, nulls kept as nulls (never 0). */
export function pointsFromResponse(response: TimeseriesResponse, metric: MetricName): ChartPoint[] {
  const factor = METRICS[metric].displayFactor;
  return (response.series[metric] ?? []).map((p) => [Date.parse(p.t), p.v === null || p.v === undefined ? null : p.v * factor]);
}

/** A point with empty buckets on both sides would be invisible as a line: it gets a dot. */
export type SeriesDatum = ChartPoint | { value: ChartPoint; symbol: 'circle'; symbolSize: number };

export function toSeriesData(points: ChartPoint[]): SeriesDatum[] {
  return points.map((p, i) => {
    if (p[1] === null) return p;
    const before = i > 0 ? points[i - 1][1] : null;
    const after = i < points.length - 1 ? points[i + 1][1] : null;
    return before === null && after === null ? { value: p, symbol: 'circle', symbolSize: 5 } : p;
  });
}

/** The threshold rule of a metric for an env: an env override wins over the project rule. */
export function thresholdFor(metric: MetricName, rules: AlertRuleView[] | null, env: string): number | null {
  if (!rules) return null;
  const names = Object.entries(THRESHOLD_RULE_METRIC)
    .filter(([, m]) => m === metric)
    .map(([rule]) => rule);
  const candidates = rules.filter((r) => names.includes(r.rule));
  const rule = candidates.find((r) => r.env === env) ?? candidates.find((r) => r.env === null);
  return rule && rule.enabled ? rule.threshold : null;
}

function deploymentTime(d: DeploymentMarker): number {
  return Date.parse(d.finished_at ?? d.started_at);
}

function resultColour(d: DeploymentMarker, theme: ChartTheme): string {
  if (d.result === 'success') return theme.success;
  if (d.result === 'failed') return theme.failed;
  return theme.pending;
}

function resultText(d: DeploymentMarker): string {
  if (d.result === 'success') return '✓ deploy';
  if (d.result === 'failed') return '✗ deploy failed';
  return '… deploying';
}

/** Deployments inside the window, as vertical mark lines coloured by their result. */
export function deploymentMarkLines(deployments: DeploymentMarker[], window: TimeWindow, theme: ChartTheme) {
  return deployments
    .filter((d) => {
      const t = deploymentTime(d);
      return Number.isFinite(t) && t >= window.from && t <= window.to;
    })
    .map((d) => {
      const colour = resultColour(d, theme);
      return {
        name: `Deployment ${d.result ?? 'in progress'} (${formatDateTime(d.finished_at ?? d.started_at)})`,
        xAxis: deploymentTime(d),
        deployment: d.deployment_id,
        result: d.result,
        itemStyle: { color: colour },
        lineStyle: { color: colour, type: 'solid', width: 1.5 },
        label: {
          show: true,
          formatter: resultText(d),
          position: 'end',
          color: colour,
          fontSize: 10,
        },
      };
    });
}

/** The smallest "nice" number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k) at or above `value`: a clean top label. */
export function niceCeil(value: number): number {
  if (!(value > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const candidate = m * exp;
    if (candidate >= value - exp * 1e-9) return Number(candidate.toPrecision(12));
  }
  return 10 * exp;
}

/** The echarts option of one metric chart. */
export function buildMetricOption(input: MetricChartInput): EChartsCoreOption {
  const def = METRICS[input.metric];
  const { theme } = input;
  const thresholdDisplay = input.threshold === null ? null : input.threshold * def.displayFactor;
  const markData: unknown[] = [];
  if (thresholdDisplay !== null) {
    markData.push({
      name: 'Alert threshold',
      yAxis: thresholdDisplay,
      lineStyle: { color: theme.threshold, type: 'dashed', width: 1 },
      label: {
        show: true,
        formatter: `alert ${formatDisplay(input.metric, thresholdDisplay)}`,
        position: 'insideEndTop',
        color: theme.threshold,
        fontSize: 10,
      },
    });
  }
  markData.push(...deploymentMarkLines(input.deployments, input.window, theme));

  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: theme.text },
    grid: { left: 8, right: 16, top: 24, bottom: 20 },
    tooltip: {
      trigger: 'axis',
      backgroundColor: theme.tooltipBg,
      borderColor: theme.grid,
      textStyle: { color: theme.tooltipText },
      axisPointer: { type: 'line', lineStyle: { color: theme.muted } },
      valueFormatter: (value: unknown) => formatDisplay(input.metric, typeof value === 'number' ? value : null),
    },
    xAxis: {
      type: 'time',
      min: input.window.from,
      max: input.window.to,
      axisLine: { lineStyle: { color: theme.axis } },
      axisLabel: { color: theme.muted, hideOverlap: true },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      name: def.displayUnit,
      nameTextStyle: { color: theme.muted, align: 'left' },
      min: 0,
      ...(thresholdDisplay !== null
        ? {
            // keep the threshold line in view even when every value is far below it
            max: (extent: { max: number }) =>
              niceCeil(Number.isFinite(extent.max) ? Math.max(extent.max, thresholdDisplay * 1.1) : thresholdDisplay * 1.1),
          }
        : {}),
      axisLabel: { color: theme.muted, formatter: `{value} ${def.displayUnit}` },
      splitLine: { lineStyle: { color: theme.grid } },
    },
    series: [
      {
        id: SERIES_ID,
        name: def.label,
        type: 'line',
        data: toSeriesData(input.points),
        // a missing bucket is a gap, never a zero and never a straight join
        connectNulls: false,
        // no dots on a line, except for isolated points (see toSeriesData)
        symbol: 'none',
        showSymbol: true,
        symbolSize: 4,
        lineStyle: { width: 1.5, color: theme.line[input.metric] },
        itemStyle: { color: theme.line[input.metric] },
        emphasis: { disabled: true },
        markLine: {
          silent: false,
          animation: false,
          symbol: ['none', 'none'],
          data: markData,
          tooltip: { show: true },
        },
      },
    ],
  };
}

/** All five chart options from one timeseries response (+ rules and window). */
export function buildChartOptions(
  response: TimeseriesResponse,
  rules: AlertRuleView[] | null,
  theme: ChartTheme,
  window: TimeWindow = { from: Date.parse(response.from), to: Date.parse(response.to) },
): Record<MetricName, EChartsCoreOption> {
  const out = {} as Record<MetricName, EChartsCoreOption>;
  for (const metric of METRIC_NAMES) {
    out[metric] = buildMetricOption({
      metric,
      points: pointsFromResponse(response, metric),
      deployments: response.deployments ?? [],
      threshold: thresholdFor(metric, rules, response.env),
      window,
      theme,
    });
  }
  return out;
}
