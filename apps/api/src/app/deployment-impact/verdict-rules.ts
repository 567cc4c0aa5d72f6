import { METRICS, VERDICT_LIMIT_RULES, VERDICT_REGRESSION_RULES } from '@seqpulse/contracts';
import type { MetricImpact, MetricName, Verdict, VerdictReason, VerdictRuleName } from '@seqpulse/contracts';

/**
 * THE catalogue of verdict rules: every rule that can decide a deployment's verdict, with its defaults, in
 * one place. The settings a project may override, their SQL check and the API's validation are generated
 * from it; docs/deployment-verdicts.md explains each rule.
 */

/** Per-project tunables (defaults are the original SeqPulse's). */
export const VERDICT_SETTINGS = {
  latency_p95_limit: { default: 300, min: 1, max: 600_000, description: 'Post mean of latency_p95 above this (ms): rollback' },
  error_rate_limit: { default: 0.01, min: 0.0001, max: 1, description: 'Post mean of error_rate above this (ratio): rollback' },
  cpu_usage_limit: { default: 0.8, min: 0.01, max: 1, description: 'Post mean of cpu_usage above this (ratio): rollback' },
  memory_usage_limit: { default: 0.8, min: 0.01, max: 1, description: 'Post mean of memory_usage above this (ratio): rollback' },
  warning_margin: { default: 0.9, min: 0.5, max: 1, description: 'A post mean above limit × margin (and not above the limit): warning' },
  min_post_samples: { default: 5, min: 1, max: 1000, description: 'Fewer post samples than this: inconclusive' },
} as const;
export type VerdictSettingName = keyof typeof VERDICT_SETTINGS;
export type VerdictSettings = Record<VerdictSettingName, number>;
export const VERDICT_SETTING_NAMES = Object.keys(VERDICT_SETTINGS) as VerdictSettingName[];

export const DEFAULT_VERDICT_SETTINGS: VerdictSettings = Object.fromEntries(
  VERDICT_SETTING_NAMES.map((name) => [name, VERDICT_SETTINGS[name].default]),
) as VerdictSettings;

/** Settings with a project's overrides applied (unknown names ignored). */
export function withOverrides(overrides: Partial<Record<string, number>>): VerdictSettings {
  const settings = { ...DEFAULT_VERDICT_SETTINGS };
  for (const name of VERDICT_SETTING_NAMES) {
    const value = overrides[name];
    if (typeof value === 'number' && Number.isFinite(value)) settings[name] = value;
  }
  return settings;
}

/**
 * Regressions against the pre window (`VERDICT_REGRESSION_RULES`): a rise that is significant (statistics.ts) AND
 * large enough to matter, both absolutely and relatively (a rise from a pre mean of 0 counts as relatively large).
 * Absolute limits (`VERDICT_LIMIT_RULES`) compare the post mean with the project's setting of the same name.
 */
export const REGRESSIONS = VERDICT_REGRESSION_RULES;
export const LIMITS = VERDICT_LIMIT_RULES;

interface Step {
  abs: number;
  rel: number;
}

/** A value as the dashboard shows it (the metric catalogue's display factor and unit). */
function formatOf(metric: MetricName): (v: number) => string {
  const { displayFactor, displayUnit } = METRICS[metric];
  return (v: number) => `${round(v * displayFactor, displayFactor === 1 ? 1 : 2)} ${displayUnit}`;
}

/** The post window counts as mostly a gap below this share of the expected polls. */
export const MIN_POST_COVERAGE = 0.5;

export interface VerdictInput {
  metrics: Record<MetricName, MetricImpact>;
  settings: VerdictSettings;
  /** Seconds of the post window elapsed so far (the whole window once it closed). */
  postElapsedS: number;
  /** The project's poll interval: how many samples the elapsed post window should hold. */
  pollIntervalS: number;
}

export interface VerdictOutcome {
  value: Verdict;
  reasons: VerdictReason[];
}

const SEVERITY: Record<Verdict, number> = { ok: 0, inconclusive: 1, warning: 2, rollback_recommended: 3 };

/**
 * Applies every rule of the catalogue. The verdict is the most severe conclusion of any rule
 * (rollback_recommended > warning > inconclusive > ok), and every rule that concluded something is a reason.
 * With too few post samples no other rule is applied: the verdict is inconclusive, never a guess.
 */
export function decideVerdict(input: VerdictInput): VerdictOutcome {
  const { settings, metrics } = input;
  const postCount = Math.max(...Object.values(metrics).map((m) => m.post.count));
  if (postCount < settings.min_post_samples) {
    return {
      value: 'inconclusive',
      reasons: [
        reason(
          'too_few_post_samples',
          null,
          postCount,
          settings.min_post_samples,
          'inconclusive',
          `${postCount} post sample(s) stored, at least ${settings.min_post_samples} needed`,
        ),
      ],
    };
  }
  const reasons: VerdictReason[] = [];
  for (const [rule, def] of Object.entries(LIMITS) as [keyof typeof LIMITS, (typeof LIMITS)[keyof typeof LIMITS]][]) {
    const m = metrics[def.metric];
    const limit = settings[rule];
    const format = formatOf(def.metric);
    if (m.post.mean === null) continue;
    const post = m.post.mean;
    if (post > limit) {
      const preAbove = m.pre.mean !== null && m.pre.mean > limit;
      reasons.push(
        reason(
          rule,
          def.metric,
          post,
          limit,
          preAbove ? 'warning' : 'rollback_recommended',
          preAbove
            ? `${def.metric} post mean ${format(post)} is above the limit ${format(limit)}, as it was before the deployment (${format(m.pre.mean as number)})`
            : `${def.metric} post mean ${format(post)} is above the limit ${format(limit)}`,
        ),
      );
    } else if (post > limit * settings.warning_margin) {
      reasons.push(
        reason(
          rule,
          def.metric,
          post,
          limit * settings.warning_margin,
          'warning',
          `${def.metric} post mean ${format(post)} is within ${round((1 - settings.warning_margin) * 100, 0)} % of the limit ${format(limit)}`,
        ),
      );
    }
  }
  for (const [rule, def] of Object.entries(REGRESSIONS) as [keyof typeof REGRESSIONS, (typeof REGRESSIONS)[keyof typeof REGRESSIONS]][]) {
    const m = metrics[def.metric];
    const format = formatOf(def.metric);
    if (m.significant !== true || m.change_abs === null || m.change_abs <= 0) continue;
    const rel = m.change_rel ?? Infinity; // a rise from a pre mean of 0
    const reaches = (step: Step) => m.change_abs !== null && m.change_abs >= step.abs && rel >= step.rel;
    const level = reaches(def.rollback) ? 'rollback' : reaches(def.warning) ? 'warning' : null;
    if (!level) continue;
    const step = def[level];
    const relText = Number.isFinite(rel) ? `+${round(rel * 100, 0)} %` : 'from 0';
    reasons.push(
      reason(
        rule,
        def.metric,
        m.change_abs,
        step.abs,
        level === 'rollback' ? 'rollback_recommended' : 'warning',
        `${def.metric} rose significantly: ${format(m.pre.mean as number)} → ${format(m.post.mean as number)} (+${format(m.change_abs)}, ${relText}; p = ${formatP(m.p_value)})`,
      ),
    );
  }
  const expected = Math.floor(input.postElapsedS / Math.max(1, input.pollIntervalS));
  if (reasons.length === 0 && expected > 0 && postCount / expected < MIN_POST_COVERAGE) {
    reasons.push(
      reason(
        'low_post_coverage',
        null,
        postCount,
        Math.ceil(expected * MIN_POST_COVERAGE),
        'inconclusive',
        `only ${postCount} of ${expected} expected post samples were stored (the target was mostly unreachable)`,
      ),
    );
  }
  const value = reasons.reduce<Verdict>((worst, r) => (SEVERITY[r.verdict] > SEVERITY[worst] ? r.verdict : worst), 'ok');
  return { value, reasons };
}

function reason(
  rule: VerdictRuleName,
  metric: MetricName | null,
  value: number | null,
  limit: number | null,
  verdict: VerdictReason['verdict'],
  message: string,
): VerdictReason {
  return { rule, metric, value, limit, verdict, message };
}

function formatP(p: number | null): string {
  if (p === null) return 'n/a';
  return p < 0.0001 ? '< 0.0001' : String(round(p, 4));
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
