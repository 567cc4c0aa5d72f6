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
import { setAsPrimitive } from 'zrender/lib/core/util';
import { formatDateTime, formatDisplay, formatNumber } from '../core/format';
import { ChartTheme } from './chart-theme';
import { spacedLabels } from './mark-labels';

/** `[epoch ms, displayed value]`; `null` is an empty bucket and stays a gap. */
export type ChartPoint = [number, number | null];

export interface TimeWindow {
  from: number;
  to: number;
}

/**
 * A line drawn over a metric's own series (a compared period, …): same metric and unit, its own
 * tooltip entry. `dashed` draws it dashed in the metric's colour; `colour` overrides the colour.
 */
export interface ChartLineOverlay {
  kind?: 'line';
  /** Unique within a chart; the echarts series id. */
  id: string;
  /** Tooltip and legend name, e.g. "1 day earlier". */
  label: string;
  points: ChartPoint[];
  dashed?: boolean;
  colour?: string;
}

/**
 * A time range shaded behind the metric (a deployment, an alert's firing period, a silence): `from`→`to` filled,
 * then a lighter band with a dashed border up to `bandTo` (a deployment's observation window). Hovering shows
 * `tooltip`; a click selects it by `id`. `muted` regions (silences, maintenance) are drawn faint with a dotted
 * border and their label at the bottom, so they read as context under the alerts and deployments.
 */
export interface ChartRegionOverlay {
  kind: 'region';
  id: string;
  /** Short text drawn over the region, and its accessible name (with `tooltip`). */
  label: string;
  /** Tooltip lines (plain text). */
  tooltip: string[];
  from: number;
  to: number;
  /** End of the lighter band after `to`; `null`: none. */
  bandTo: number | null;
  colour: string;
  muted?: boolean;
  /**
   * Whose label is kept where labels would overlap (higher first, then the latest: `charts/mark-labels.ts`); the
   * sources rank what needs attention (a critical alert, a rollback recommended). Default 1, muted regions 0.
   */
  labelWeight?: number;
}

/** What a metric chart draws over its own series. */
export type ChartOverlay = ChartLineOverlay | ChartRegionOverlay;

export function isRegion(overlay: ChartOverlay): overlay is ChartRegionOverlay {
  return overlay.kind === 'region';
}

export interface MetricChartInput {
  metric: MetricName;
  points: ChartPoint[];
  deployments: readonly DeploymentMarker[];
  /** Raw threshold (ratio for %, ms for latency); `null` draws no line. */
  threshold: number | null;
  window: TimeWindow;
  theme: ChartTheme;
  overlays?: readonly ChartOverlay[];
  /** Axis labels and tooltip times in UTC (else the browser's time zone). */
  utc?: boolean;
}

/** The series id used by live updates to merge new data into the drawn series. */
export const SERIES_ID = 'value';
/** The data-less series that carries the region overlays (echarts mark areas). */
export const REGIONS_SERIES_ID = 'regions';

/** Response series → chart points: display factor applied, nulls kept as nulls (never 0). */
export function pointsFromResponse(response: TimeseriesResponse, metric: MetricName): ChartPoint[] {
  const factor = METRICS[metric].displayFactor;
  return (response.series[metric] ?? []).map((p) => [Date.parse(p.t), p.v === null || p.v === undefined ? null : p.v * factor]);
}

/** A point with empty buckets on both sides would be invisible as a line: it gets a dot. */
export type SeriesDatum = ChartPoint | { value: ChartPoint; symbol: 'circle'; symbolSize: number };

export function toSeriesData(points: ChartPoint[]): SeriesDatum[] {
  const data = points.map((p, i): SeriesDatum => {
    // a copy: the live buckets change their points in place, and echarts keeps this array (below)
    const point: ChartPoint = [p[0], p[1]];
    if (p[1] === null) return point;
    const before = i > 0 ? points[i - 1][1] : null;
    const after = i < points.length - 1 ? points[i + 1][1] : null;
    return before === null && after === null ? { value: point, symbol: 'circle', symbolSize: 5 } : point;
  });
  // Kept by echarts as it is: it deep-copies a series' data at each `setOption`, twice (the whole option, then the
  // series' merge), point by point; that copying was ~14 % of the JavaScript of a zoom's five chart updates
  // (zoom-profile.profile.ts). Nothing writes to this array once made.
  setAsPrimitive(data);
  return data;
}

/**
 * True when some point of `toSeriesData` carries a dot. Only then does a line series draw symbols: with
 * `showSymbol`, echarts diffs and visits every point of the series at each update (a fifth of a zoom's chart update
 * at 7 days) to draw the few that have one.
 */
export function hasDots(data: readonly SeriesDatum[]): boolean {
  return data.some((d) => !Array.isArray(d));
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

/** The deployments whose marker (finish, else start) falls inside the window. */
export function deploymentsInWindow(deployments: readonly DeploymentMarker[], window: TimeWindow): DeploymentMarker[] {
  return deployments.filter((d) => {
    const t = deploymentTime(d);
    return Number.isFinite(t) && t >= window.from && t <= window.to;
  });
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

/** A failed deployment's label is the one to keep where labels would overlap, then a running one's. */
const deploymentWeight = (d: DeploymentMarker) => (d.result === 'failed' ? 2 : d.result ? 0 : 1);

/** Deployments inside the window, as vertical mark lines coloured by their result, labelled where labels fit. */
export function deploymentMarkLines(deployments: readonly DeploymentMarker[], window: TimeWindow, theme: ChartTheme) {
  const inWindow = deploymentsInWindow(deployments, window);
  const labelled = spacedLabels(inWindow, window, deploymentTime, deploymentWeight);
  return inWindow.map((d) => {
    const colour = resultColour(d, theme);
    return {
      name: `Deployment ${d.result ?? 'in progress'} (${formatDateTime(d.finished_at ?? d.started_at)})`,
      xAxis: deploymentTime(d),
      deployment: d.deployment_id,
      result: d.result,
      itemStyle: { color: colour },
      lineStyle: { color: colour, type: 'solid', width: 1.5 },
      label: {
        show: labelled.has(d),
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

/** The y axis' top on a chart with a threshold line: a clean label above the values and the line (with room over it). */
function thresholdAxisTop(valuesMax: number, thresholdDisplay: number): number {
  return niceCeil(Number.isFinite(valuesMax) ? Math.max(valuesMax, thresholdDisplay * 1.1) : thresholdDisplay * 1.1);
}

/** The mark lines of a metric chart: its alert threshold (display units) and the deployments in the window. */
export function markLineData(input: Pick<MetricChartInput, 'metric' | 'threshold' | 'deployments' | 'window' | 'theme'>): unknown[] {
  const { theme } = input;
  const thresholdDisplay = input.threshold === null ? null : input.threshold * METRICS[input.metric].displayFactor;
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
  return markData;
}

/**
 * A live update: new points and the moved window, merged into the drawn chart (no full redraw); the plot's margins
 * follow the new values' labels.
 */
export function seriesPatch(points: ChartPoint[], window: TimeWindow, labels: Omit<PlotLabels, 'points'>): EChartsCoreOption {
  const data = toSeriesData(points);
  return {
    grid: plotGrid({ ...labels, points }),
    xAxis: { min: window.from, max: window.to },
    series: [{ id: SERIES_ID, data, showSymbol: hasDots(data) }],
  };
}

/** The region, or its band, reaches into the window. */
export function regionVisible(r: ChartRegionOverlay, window: TimeWindow): boolean {
  return r.from <= window.to && Math.max(r.to, r.bandTo ?? r.to) >= window.from;
}

/**
 * The regions that reach into the window, in drawing order. Only these are drawn: echarts lays out every mark area
 * and its label at each update, those outside the window included (7 days of alerts and deployments after a zoom).
 */
export function regionsInWindow(overlays: readonly ChartOverlay[], window: TimeWindow): ChartRegionOverlay[] {
  return overlays.filter((o): o is ChartRegionOverlay => isRegion(o) && regionVisible(o, window));
}

/** The regions whose label is drawn in the window (where labels would overlap: by `labelWeight`, then the latest). */
export function regionLabels(regions: readonly ChartRegionOverlay[], window: TimeWindow): Set<ChartRegionOverlay> {
  return spacedLabels(
    regions,
    window,
    (r) => r.from,
    (r) => r.labelWeight ?? (r.muted ? 0 : 1),
  );
}

/**
 * The region series with other regions (the window moved): merged into a chart built with `buildMetricOption`.
 * `labelled`: `regionLabels` of these regions in the new window (the caller has them: they decide whether to merge).
 */
export function regionsPatch(
  regions: readonly ChartRegionOverlay[],
  labelled: ReadonlySet<ChartRegionOverlay>,
  theme: ChartTheme,
): Record<string, unknown> {
  const { id, markArea } = regionSeries(regions, labelled, theme);
  return { id, markArea: { data: markArea.data, tooltip: markArea.tooltip } };
}

function regionSeriesInWindow(overlays: readonly ChartOverlay[], window: TimeWindow, theme: ChartTheme) {
  const regions = regionsInWindow(overlays, window);
  return regionSeries(regions, regionLabels(regions, window), theme);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The region overlays as mark areas of one data-less series: per region, two areas (the filled range, then its
 * lighter band), so mark-area data index `i` belongs to region `floor(i / 2)`.
 */
function regionSeries(regions: readonly ChartRegionOverlay[], labelled: ReadonlySet<ChartRegionOverlay>, theme: ChartTheme) {
  return {
    id: REGIONS_SERIES_ID,
    name: 'Regions',
    type: 'line',
    data: [],
    z: 0,
    markArea: {
      silent: false,
      animation: false,
      tooltip: {
        show: true,
        trigger: 'item',
        formatter: (p: { dataIndex: number }) => (regions[Math.floor(p.dataIndex / 2)]?.tooltip ?? []).map(escapeHtml).join('<br/>'),
      },
      data: regions.flatMap((r) => [
        [
          {
            name: r.label,
            xAxis: r.from,
            itemStyle: r.muted
              ? { color: r.colour, opacity: 0.12, borderColor: r.colour, borderWidth: 1, borderType: 'dotted' }
              : { color: r.colour, opacity: 0.3 },
            label: {
              show: labelled.has(r),
              formatter: r.label,
              position: r.muted ? 'insideBottomLeft' : 'insideTopLeft',
              color: r.colour,
              fontSize: 10,
            },
          },
          { xAxis: r.to },
        ],
        [
          {
            name: r.label,
            xAxis: r.to,
            itemStyle: { color: r.colour, opacity: 0.07, borderColor: r.colour, borderWidth: 1, borderType: 'dashed' },
            label: { show: false },
          },
          { xAxis: r.bandTo ?? r.to },
        ],
      ]),
      emphasis: { itemStyle: { opacity: 0.45 }, label: { color: theme.text } },
    },
  };
}

/**
 * The region drawn at time `t` (its range or its band); where regions overlap, the one drawn on top — the later in
 * the list, which is also the one whose tooltip the pointer shows, so a click opens what the hover named (a
 * deployment over an alert that fired inside its window) — a muted one (context: silences, maintenance) only where
 * nothing else is.
 */
export function regionAtTime(overlays: readonly ChartOverlay[], t: number): ChartRegionOverlay | null {
  let found: ChartRegionOverlay | null = null;
  for (const r of overlays) {
    if (!isRegion(r) || t < r.from || t > Math.max(r.to, r.bandTo ?? r.to)) continue;
    const better = !found || (found.muted && !r.muted) || !!found.muted === !!r.muted;
    if (better) found = r;
  }
  return found;
}

function overlaySeries(overlay: ChartLineOverlay, metric: MetricName, theme: ChartTheme) {
  const colour = overlay.colour ?? theme.line[metric];
  const data = toSeriesData(overlay.points);
  return {
    id: overlay.id,
    name: overlay.label,
    type: 'line',
    data,
    connectNulls: false,
    sampling: 'lttb',
    symbol: 'none',
    showSymbol: hasDots(data),
    symbolSize: 3,
    lineStyle: { width: 1.2, color: colour, type: overlay.dashed ? 'dashed' : 'solid', opacity: 0.75 },
    itemStyle: { color: colour, opacity: 0.75 },
    emphasis: { disabled: true },
    z: 1,
  };
}

/** The tooltip follows the axis pointer one task later (a timer of this delay), not in the pointer's own task. */
export const TOOLTIP_SHOW_DELAY_MS = 1;

/** The canvas layer of a metric chart's axis pointer (its crosshair and the tooltip's line), above the plot. */
export const AXIS_POINTER_ZLEVEL = 1;

/** The plot area's margins in a metric chart (px) but the left one (`plotGrid`); the crosshair uses the top one. */
export const CHART_GRID = { right: 16, top: 24, bottom: 20 } as const;

/** What a chart's y-axis labels depend on. */
export type PlotLabels = Pick<MetricChartInput, 'points' | 'metric' | 'threshold' | 'overlays'>;

/** Width of one character of an axis label (echarts' 12 px sans-serif: digits ~6.7 px), on the wide side. */
const LABEL_CHAR_PX = 7;
/** echarts' gap between an axis label and its axis, and some slack. */
const LABEL_GAP_PX = 12;

/** The y axis' tick interval as echarts chooses it (its `nice` with rounding): 1, 2, 3, 5 or 10 × 10^k near a fifth. */
function tickInterval(span: number): number {
  const rough = span / 5;
  const exp = 10 ** Math.floor(Math.log10(rough));
  const f = rough / exp;
  return (f < 1.5 ? 1 : f < 2.5 ? 2 : f < 4 ? 3 : f < 7 ? 5 : 10) * exp;
}

/**
 * The widest y-axis label of a chart, estimated in px: echarts' ticks run from 0 to the axis' top (the largest value
 * of the series and its line overlays rounded up to a tick, or the nice ceiling that keeps the threshold line in
 * view, see the y axis' `max`), written `1,234.5 unit` at the interval's precision.
 */
export function yLabelWidth(input: PlotLabels): number {
  const { metric, threshold } = input;
  const def = METRICS[metric];
  let max = 0;
  for (const points of [input.points, ...(input.overlays ?? []).map((o) => (isRegion(o) ? [] : o.points))])
    for (const p of points) if (p[1] !== null && p[1] > max) max = p[1];
  const span = threshold === null ? max || 1 : thresholdAxisTop(max, threshold * def.displayFactor);
  const interval = tickInterval(span);
  const top = threshold === null ? Math.ceil(span / interval - 1e-9) * interval : span;
  const decimals = Math.max(0, -Math.floor(Math.log10(interval) + 1e-9));
  // the label's integer part as the axis writes it, through the formatter made once (`toLocaleString` made one per call)
  const integer = formatNumber(Math.floor(top + 1e-9)).length;
  return (integer + (decimals ? decimals + 1 : 0) + 1 + def.displayUnit.length) * LABEL_CHAR_PX;
}

/**
 * The plot area's margins, with room on the left for the y-axis labels. echarts can find that room itself
 * (`outerBoundsMode: 'auto'`, its default), but by laying every axis label out twice at each update; without that
 * pass a chart's update frame in a zoom took 13.9 ms of thread time on average instead of 16.0 (zoom-profile.profile.ts).
 */
export function plotGrid(input: PlotLabels) {
  return { ...CHART_GRID, left: yLabelWidth(input) + LABEL_GAP_PX, outerBoundsMode: 'none' } as const;
}

/** The echarts option of one metric chart. */
export function buildMetricOption(input: MetricChartInput): EChartsCoreOption {
  const def = METRICS[input.metric];
  const { theme } = input;
  const thresholdDisplay = input.threshold === null ? null : input.threshold * def.displayFactor;
  const markData = markLineData(input);
  const overlays = input.overlays ?? [];
  const data = toSeriesData(input.points);

  return {
    animation: false,
    useUTC: input.utc ?? false,
    backgroundColor: 'transparent',
    textStyle: { color: theme.text },
    grid: plotGrid(input),
    // the crosshair on a canvas layer of its own: moving it over five connected charts repaints that layer only, not
    // each chart's lines, regions and axes at every mouse move
    axisPointer: { zlevel: AXIS_POINTER_ZLEVEL },
    tooltip: {
      trigger: 'axis',
      backgroundColor: theme.tooltipBg,
      borderColor: theme.grid,
      textStyle: { color: theme.tooltipText },
      // placed at once: the default slide (0.4 s of CSS transitions of `left`/`top`) restyles the tooltip at every
      // frame while the pointer moves
      transitionDuration: 0,
      // the tooltip's content built and placed in a task after the axis pointer's: in one task, the first hover of a
      // page was 24–54 ms of thread time, half of it the tooltip (its markup, and the browser's layout to measure it)
      showDelay: TOOLTIP_SHOW_DELAY_MS,
      axisPointer: { type: 'line', lineStyle: { color: theme.muted } },
      valueFormatter: (value: unknown) => formatDisplay(input.metric, typeof value === 'number' ? value : null),
    },
    xAxis: {
      type: 'time',
      min: input.window.from,
      max: input.window.to,
      axisLine: { lineStyle: { color: theme.axis } },
      // the time axis' tick count does not follow the chart's width: a narrow chart needs the overlap pass
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
            max: (extent: { max: number }) => thresholdAxisTop(extent.max, thresholdDisplay),
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
        data,
        // a missing bucket is a gap, never a zero and never a straight join
        connectNulls: false,
        // more buckets than pixels (24 h at 15 s, 7 days at 5 min): draw the largest-triangle subset, gaps kept
        sampling: 'lttb',
        // no dots on a line, except for isolated points (see toSeriesData)
        symbol: 'none',
        showSymbol: hasDots(data),
        symbolSize: 4,
        lineStyle: { width: 1.5, color: theme.line[input.metric] },
        itemStyle: { color: theme.line[input.metric] },
        emphasis: { disabled: true },
        z: 2,
        markLine: {
          silent: false,
          animation: false,
          symbol: ['none', 'none'],
          data: markData,
          tooltip: { show: true },
        },
      },
      ...overlays.flatMap((o) => (isRegion(o) ? [] : [overlaySeries(o, input.metric, theme)])),
      // present whenever there are regions (a later window may bring some into view), with those in the window
      ...(overlays.some(isRegion) ? [regionSeriesInWindow(overlays, input.window, theme)] : []),
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
