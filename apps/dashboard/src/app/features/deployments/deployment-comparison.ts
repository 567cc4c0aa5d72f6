import {
  defaultStepFor,
  DeploymentDetail,
  METRIC_NAMES,
  METRICS,
  MetricName,
  Step,
  TimeseriesResponse,
  VerdictReason,
  VerdictView,
} from '@seqpulse/contracts';
import { ChartPoint, pointsFromResponse } from '../../charts/chart-options';
import { formatMetric, formatNumber } from '../../core/format';

const MINUTE_MS = 60_000;

/** The samples a comparison reads: from the start of the pre window to the end of the post window (so far). */
export function comparisonRange(detail: DeploymentDetail): { from: number; to: number; step: Step } | null {
  const impact = detail.impact;
  if (!impact) return null;
  const from = Date.parse(impact.pre.from);
  const to = Date.parse(impact.post.to);
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return null;
  return { from, to, step: defaultStepFor((to - from) / 1000) };
}

/**
 * One metric's pre and post windows on a common axis: minutes from the start of each window (the pre window
 * starts one window length before the trigger, the post window at the finish), so both lie over each other.
 * Display units; gaps stay `null`.
 */
export interface WindowComparison {
  pre: ChartPoint[];
  post: ChartPoint[];
  /** Length of the axis in minutes (the longer window). */
  minutes: number;
}

function within(points: ChartPoint[], from: number, to: number): ChartPoint[] {
  return points.filter(([t]) => t >= from && t < to).map(([t, v]) => [(t - from) / MINUTE_MS, v] as ChartPoint);
}

export function windowComparison(detail: DeploymentDetail, series: TimeseriesResponse, metric: MetricName): WindowComparison | null {
  const impact = detail.impact;
  if (!impact) return null;
  const points = pointsFromResponse(series, metric);
  const pre = { from: Date.parse(impact.pre.from), to: Date.parse(impact.pre.to) };
  const post = { from: Date.parse(impact.post.from), to: Date.parse(impact.post.to) };
  const windowEnd = detail.window_ends_at ? Date.parse(detail.window_ends_at) : post.to;
  return {
    pre: within(points, pre.from, pre.to),
    // the post window includes its last instant (samples at the close count)
    post: within(points, post.from, post.to + 1),
    minutes: Math.max(pre.to - pre.from, windowEnd - post.from) / MINUTE_MS,
  };
}

/** One line of the impact table, formatted in display units. */
export interface ImpactRow {
  metric: MetricName;
  label: string;
  pre: { count: number; mean: string; p95: string };
  post: { count: number; mean: string; p95: string };
  changeAbs: string;
  changeRel: string;
  /** `yes` / `no`, or `—` when untestable (fewer than 5 samples on a side); with the p-value. */
  significant: string;
  /** A verdict rule named this metric. */
  fired: boolean;
}

function signed(text: string, value: number): string {
  return value > 0 ? `+${text}` : text;
}

function significance(significant: boolean | null, p: number | null): string {
  if (significant === null) return '—';
  const pText = p === null ? '' : p < 0.0001 ? ' (p < 0.0001)' : ` (p = ${p.toPrecision(2)})`;
  return `${significant ? 'yes' : 'no'}${pText}`;
}

export function impactRows(detail: DeploymentDetail): ImpactRow[] {
  const impact = detail.impact;
  if (!impact) return [];
  const fired = new Set((detail.verdict?.reasons ?? []).map((r) => r.metric));
  return METRIC_NAMES.filter((m) => impact.metrics[m]).map((metric) => {
    const i = impact.metrics[metric];
    return {
      metric,
      label: METRICS[metric].label,
      pre: { count: i.pre.count, mean: formatMetric(metric, i.pre.mean), p95: formatMetric(metric, i.pre.p95) },
      post: { count: i.post.count, mean: formatMetric(metric, i.post.mean), p95: formatMetric(metric, i.post.p95) },
      changeAbs: i.change_abs === null ? '—' : signed(formatMetric(metric, i.change_abs), i.change_abs),
      changeRel: i.change_rel === null ? '—' : `${i.change_rel > 0 ? '+' : ''}${formatNumber(i.change_rel * 100)} %`,
      significant: significance(i.significant, i.p_value),
      fired: fired.has(metric),
    };
  });
}

/** Rules whose value and limit are sample counts, not metric values. */
const COUNT_RULES = new Set<VerdictReason['rule']>(['too_few_post_samples', 'low_post_coverage']);

/** One fired rule, its numbers formatted like the metric they are about. */
export interface ReasonRow {
  rule: string;
  metric: string | null;
  verdict: VerdictReason['verdict'];
  value: string;
  limit: string;
  message: string;
}

function reasonNumber(reason: VerdictReason, value: number | null): string {
  if (value === null) return '—';
  if (COUNT_RULES.has(reason.rule) || !reason.metric) return formatNumber(value);
  return formatMetric(reason.metric, value);
}

export function reasonRows(verdict: VerdictView | null): ReasonRow[] {
  return (verdict?.reasons ?? []).map((r) => ({
    rule: r.rule,
    metric: r.metric ? METRICS[r.metric].label : null,
    verdict: r.verdict,
    value: reasonNumber(r, r.value),
    limit: reasonNumber(r, r.limit),
    message: r.message,
  }));
}

/** The metrics a rule fired on (the cause of the verdict), in catalogue order. */
export function causeMetrics(verdict: VerdictView | null): MetricName[] {
  const named = new Set((verdict?.reasons ?? []).map((r) => r.metric));
  return METRIC_NAMES.filter((m) => named.has(m));
}
