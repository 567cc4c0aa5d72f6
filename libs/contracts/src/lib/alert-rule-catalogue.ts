/**
 * The built-in alert rules: one entry per rule, the single source of the rule's metric, how its window is
 * aggregated, its comparison, its default threshold, the thresholds it accepts and what "no data" means for it.
 * The evaluator's SQL, the validation of `PUT alert-rules`, the OpenAPI descriptions and the notification texts
 * are derived from here (docs/architecture.md, "How to add an alert rule").
 */
import { METRICS, MetricName } from './metrics';

/** The window every rule looks at: the last 5 minutes (docs/api.md, "Built-in alert rules"). */
export const ALERT_WINDOW_SECONDS = 300;

/** How the stored samples of the window are combined before the comparison. */
export type WindowAggregation = 'mean' | 'max' | 'min';

/** Accepted thresholds: `[min, max]`, `(min, max]` with `minExclusive`, whole numbers with `integer`. */
export interface ThresholdRange {
  min: number;
  max: number;
  minExclusive?: boolean;
  integer?: boolean;
}

/**
 * A rule on one metric: fires while the window's aggregate is above (or below) the threshold. A window with no
 * stored sample has no aggregate: the rule does not fire, and an open alert of it resolves as
 * `no_samples_in_window` (the silence itself is `no_data`'s job).
 */
export interface ThresholdRuleDefinition {
  kind: 'threshold';
  metric: MetricName;
  aggregation: WindowAggregation;
  comparison: 'above' | 'below';
  defaultThreshold: number;
  /** Defaults to the metric's valid range. */
  thresholds?: ThresholdRange;
}

/** Fires when the env has stored no sample for `threshold` minutes. */
export interface SilenceRuleDefinition {
  kind: 'silence';
  defaultThreshold: number;
  thresholds: ThresholdRange;
}

export type AlertRuleDefinition = ThresholdRuleDefinition | SilenceRuleDefinition;

export const ALERT_RULE_CATALOGUE = {
  error_rate_high: { kind: 'threshold', metric: 'error_rate', aggregation: 'mean', comparison: 'above', defaultThreshold: 0.01 },
  latency_p95_high: {
    kind: 'threshold',
    metric: 'latency_p95',
    aggregation: 'mean',
    comparison: 'above',
    defaultThreshold: 500,
    // One hour: beyond it the rule can never fire in practice.
    thresholds: { min: 0, minExclusive: true, max: 3_600_000 },
  },
  cpu_high: { kind: 'threshold', metric: 'cpu_usage', aggregation: 'mean', comparison: 'above', defaultThreshold: 0.8 },
  memory_high: { kind: 'threshold', metric: 'memory_usage', aggregation: 'mean', comparison: 'above', defaultThreshold: 0.85 },
  no_data: { kind: 'silence', defaultThreshold: 5, thresholds: { min: 5, max: 10, integer: true } },
} as const satisfies Record<string, AlertRuleDefinition>;

export type AlertRuleName = keyof typeof ALERT_RULE_CATALOGUE;
/** Every rule, in catalogue order. */
export const ALERT_RULES = Object.keys(ALERT_RULE_CATALOGUE) as AlertRuleName[];

export type ThresholdRuleName = {
  [K in AlertRuleName]: (typeof ALERT_RULE_CATALOGUE)[K] extends { kind: 'threshold' } ? K : never;
}[AlertRuleName];
export type SilenceRuleName = Exclude<AlertRuleName, ThresholdRuleName>;

export function alertRule(name: AlertRuleName): AlertRuleDefinition {
  return ALERT_RULE_CATALOGUE[name];
}

export const THRESHOLD_RULES = ALERT_RULES.filter((r) => alertRule(r).kind === 'threshold') as ThresholdRuleName[];
export const SILENCE_RULES = ALERT_RULES.filter((r) => alertRule(r).kind === 'silence') as SilenceRuleName[];

/** The metric of each threshold rule. */
export const THRESHOLD_RULE_METRIC = Object.fromEntries(
  THRESHOLD_RULES.map((r) => [r, (ALERT_RULE_CATALOGUE[r] as ThresholdRuleDefinition).metric]),
) as Readonly<Record<ThresholdRuleName, MetricName>>;

/** Contract defaults; a silence rule's threshold is in minutes. */
export const ALERT_RULE_DEFAULTS = Object.fromEntries(ALERT_RULES.map((r) => [r, alertRule(r).defaultThreshold])) as Readonly<
  Record<AlertRuleName, number>
>;

export const NO_DATA_MINUTES_MIN = ALERT_RULE_CATALOGUE.no_data.thresholds.min;
export const NO_DATA_MINUTES_MAX = ALERT_RULE_CATALOGUE.no_data.thresholds.max;

/** The thresholds a rule accepts: its own range, else its metric's valid range. */
export function thresholdRange(name: AlertRuleName): ThresholdRange {
  const rule = alertRule(name);
  if (rule.kind === 'silence' || rule.thresholds) return rule.thresholds as ThresholdRange;
  const metric = METRICS[rule.metric];
  return { min: metric.min, max: metric.max ?? Number.MAX_VALUE };
}

/** In words, the unit of a rule's threshold ("ratio", "milliseconds", "minutes"). */
export function thresholdUnit(name: AlertRuleName): string {
  const rule = alertRule(name);
  if (rule.kind === 'silence') return 'minutes';
  const unit = METRICS[rule.metric].unit;
  return unit === 'requests_per_second' ? 'requests per second' : unit;
}

/** Why a threshold is refused for a rule, or null when it is fine. */
export function thresholdProblem(name: AlertRuleName, threshold: number): string | null {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) return 'threshold must be a finite number';
  const range = thresholdRange(name);
  const below = range.minExclusive ? threshold <= range.min : threshold < range.min;
  if (!below && threshold <= range.max && (!range.integer || Number.isInteger(threshold))) return null;
  return `threshold of ${name} must be ${describeRange(name, range)}`;
}

function describeRange(name: AlertRuleName, range: ThresholdRange): string {
  const unit = thresholdUnit(name);
  if (range.integer) return `a whole number of ${unit} from ${range.min} to ${range.max}`;
  if (unit === 'ratio') return `a ratio from ${range.min} to ${range.max}`;
  return `${range.minExclusive ? '>' : '>='} ${range.min} and at most ${range.max} (${unit})`;
}

/** One line per unit for API descriptions: "ratio 0..1 (error_rate_high, cpu_high), …". */
export function thresholdUnitsDescription(): string {
  const groups = new Map<string, AlertRuleName[]>();
  for (const rule of ALERT_RULES) {
    const range = thresholdRange(rule);
    const key = `${thresholdUnit(rule)} ${range.minExclusive ? `> ${range.min}` : `${range.min}..${range.max}`}`;
    groups.set(key, [...(groups.get(key) ?? []), rule]);
  }
  return [...groups.entries()].map(([key, rules]) => `${key} (${rules.join(', ')})`).join(', ');
}

/** "5-min mean" for a threshold rule's window. */
export function windowLabel(name: ThresholdRuleName): string {
  return `${ALERT_WINDOW_SECONDS / 60}-min ${(ALERT_RULE_CATALOGUE[name] as ThresholdRuleDefinition).aggregation}`;
}

/**
 * Per project/env/rule settings beyond the threshold (docs/alerting.md). Every one is opt-in: a rule without
 * settings behaves exactly as the table above (one level, no hysteresis, the catalogue's window and aggregation).
 */
export const ALERT_RULE_SETTINGS = {
  /** The window of a threshold rule, in minutes. */
  windowMin: { min: 1, max: 60, default: ALERT_WINDOW_SECONDS / 60 },
  /** Stored samples the window needs before the rule may fire (a 60-minute window at 15 s holds 240). */
  minSamples: { min: 1, max: 240, default: 1 },
  aggregations: ['mean', 'max', 'min'] as const satisfies readonly WindowAggregation[],
} as const;

export const ALERT_LEVELS = ['warning', 'critical'] as const;
export type AlertLevel = (typeof ALERT_LEVELS)[number];

/** The threshold-side settings of one rule entry, as `PUT alert-rules` takes them. */
export interface RuleLevels {
  threshold: number;
  warning?: number | null;
  recovery?: { critical?: number | null; warning?: number | null } | null;
}

/** One ordering problem of a rule's levels: which field, why, and its machine-readable code. */
export interface LevelProblem {
  field: 'warning' | 'recovery.critical' | 'recovery.warning';
  code: 'warning_wrong_side' | 'recovery_wrong_side' | 'setting_not_applicable' | 'validation_failed';
  message: string;
}

/**
 * Checks that a warning threshold is crossed before the critical one and that each recovery threshold lies on the
 * non-firing side of its level (at or under it for an `above` rule): otherwise an alert could never resolve, or
 * would resolve while its condition still holds. Silence rules have a single level and no recovery.
 */
export function levelProblems(name: AlertRuleName, levels: RuleLevels): LevelProblem[] {
  const rule = alertRule(name);
  const warning = levels.warning ?? null;
  const recovery = levels.recovery ?? {};
  const set = (['warning', 'recovery.critical', 'recovery.warning'] as const).filter((f) =>
    f === 'warning' ? warning !== null : (recovery[f === 'recovery.critical' ? 'critical' : 'warning'] ?? null) !== null,
  );
  if (rule.kind === 'silence') {
    return set.map((field) => ({ field, code: 'setting_not_applicable', message: `${field} does not apply to ${name}` }));
  }
  const problems: LevelProblem[] = [];
  const above = rule.comparison === 'above';
  const side = above ? 'below' : 'above';
  const beyond = (a: number, b: number) => (above ? a > b : a < b);
  for (const field of set) {
    const value = field === 'warning' ? warning : field === 'recovery.critical' ? recovery.critical : recovery.warning;
    const range = thresholdProblem(name, value as number);
    if (range) problems.push({ field, code: 'validation_failed', message: range.replace('threshold', field) });
  }
  if (problems.length) return problems;
  if (warning !== null && !beyond(levels.threshold, warning)) {
    problems.push({
      field: 'warning',
      code: 'warning_wrong_side',
      message: `warning must be ${side} the critical threshold ${levels.threshold}`,
    });
  }
  const recCritical = recovery.critical ?? null;
  if (recCritical !== null && beyond(recCritical, levels.threshold)) {
    problems.push({
      field: 'recovery.critical',
      code: 'recovery_wrong_side',
      message: `recovery.critical must be at or ${side} the critical threshold ${levels.threshold}`,
    });
  }
  const recWarning = recovery.warning ?? null;
  if (recWarning !== null && warning === null) {
    problems.push({ field: 'recovery.warning', code: 'setting_not_applicable', message: 'recovery.warning needs a warning threshold' });
  } else if (recWarning !== null && warning !== null && beyond(recWarning, warning)) {
    problems.push({
      field: 'recovery.warning',
      code: 'recovery_wrong_side',
      message: `recovery.warning must be at or ${side} the warning threshold ${warning}`,
    });
  }
  return problems;
}
