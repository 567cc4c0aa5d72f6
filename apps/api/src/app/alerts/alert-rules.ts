import { ALERT_RULE_DEFAULTS, ALERT_RULES, NO_DATA_MINUTES_MAX, NO_DATA_MINUTES_MIN, THRESHOLD_RULE_METRIC } from '@seqpulse/contracts';
import type { AlertRuleName, AlertRuleUpdate, AlertRuleView } from '@seqpulse/contracts';

export type ThresholdRuleName = Exclude<AlertRuleName, 'no_data'>;
export const THRESHOLD_RULES = Object.keys(THRESHOLD_RULE_METRIC) as ThresholdRuleName[];

/** Highest latency threshold accepted (one hour in ms): beyond it the rule can never fire in practice. */
export const LATENCY_THRESHOLD_MAX_MS = 3_600_000;

/** A stored rule row: `env` '' = project-wide. */
export interface StoredRule {
  env: string;
  rule: AlertRuleName;
  threshold: number;
  enabled: boolean;
}

/**
 * Why a threshold is refused for a rule, or null when it is fine: ratios 0..1, latency > 0 (ms),
 * `no_data` a whole number of minutes in 5..10.
 */
export function thresholdProblem(rule: AlertRuleName, threshold: number): string | null {
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) return 'threshold must be a finite number';
  if (rule === 'no_data') {
    if (!Number.isInteger(threshold) || threshold < NO_DATA_MINUTES_MIN || threshold > NO_DATA_MINUTES_MAX) {
      return `threshold of no_data must be a whole number of minutes from ${NO_DATA_MINUTES_MIN} to ${NO_DATA_MINUTES_MAX}`;
    }
    return null;
  }
  if (rule === 'latency_p95_high') {
    if (threshold <= 0 || threshold > LATENCY_THRESHOLD_MAX_MS)
      return `threshold of latency_p95_high must be > 0 and at most ${LATENCY_THRESHOLD_MAX_MS} (milliseconds)`;
    return null;
  }
  if (threshold < 0 || threshold > 1) return `threshold of ${rule} must be a ratio from 0 to 1`;
  return null;
}

export interface RuleProblem {
  field: string;
  problems: string[];
}

/**
 * Checks a whole `PUT alert-rules` body against the project's envs: every problem is reported, and nothing
 * is stored unless the whole set is valid (the old rules stay as they were).
 */
export function validateRuleSet(updates: AlertRuleUpdate[], envs: readonly string[]): { rows: StoredRule[]; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const rows: StoredRule[] = [];
  const seen = new Set<string>();
  updates.forEach((u, i) => {
    const field = `rules.${i}`;
    const own: string[] = [];
    if (!(ALERT_RULES as readonly string[]).includes(u.rule)) own.push(`rule must be one of ${ALERT_RULES.join(', ')}`);
    const env = u.env ?? '';
    if (env !== '' && !envs.includes(env)) own.push(`env must be null or one of the project's envs (${envs.join(', ')})`);
    if (own.length === 0) {
      const problem = thresholdProblem(u.rule, u.threshold);
      if (problem) problems.push({ field: `${field}.threshold`, problems: [problem] });
      const key = `${u.rule}|${env}`;
      if (seen.has(key)) own.push(`rule ${u.rule} is listed twice for ${env === '' ? 'the project' : `env ${env}`}`);
      seen.add(key);
    }
    if (own.length) problems.push({ field, problems: own });
    rows.push({ env, rule: u.rule, threshold: u.threshold, enabled: u.enabled ?? true });
  });
  return { rows, problems };
}

/** The rule set as served: the five project-wide rules (stored or default), then the env overrides. */
export function ruleViews(stored: StoredRule[], envs: readonly string[]): AlertRuleView[] {
  const projectWide: AlertRuleView[] = ALERT_RULES.map((rule) => {
    const row = stored.find((r) => r.env === '' && r.rule === rule);
    return { rule, env: null, threshold: row?.threshold ?? ALERT_RULE_DEFAULTS[rule], enabled: row?.enabled ?? true };
  });
  const overrides = stored
    .filter((r) => r.env !== '' && envs.includes(r.env))
    .sort((a, b) => envs.indexOf(a.env) - envs.indexOf(b.env) || ALERT_RULES.indexOf(a.rule) - ALERT_RULES.indexOf(b.rule))
    .map((r) => ({ rule: r.rule, env: r.env, threshold: r.threshold, enabled: r.enabled }));
  return [...projectWide, ...overrides];
}

/** SQL `VALUES` rows `(rule, metric, default_threshold)` for the threshold rules, from the contract constants. */
export function thresholdDefaultsSql(): string {
  return THRESHOLD_RULES.map((rule) => `('${rule}', '${THRESHOLD_RULE_METRIC[rule]}', ${Number(ALERT_RULE_DEFAULTS[rule])}::float8)`).join(
    ', ',
  );
}
