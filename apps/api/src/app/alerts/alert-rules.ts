import { ALERT_RULE_DEFAULTS, ALERT_RULES, alertRule, levelProblems, thresholdProblem } from '@seqpulse/contracts';
import type { AlertRuleName, AlertRuleUpdate, AlertRuleView, ErrorCode, WindowAggregation } from '@seqpulse/contracts';

export { thresholdProblem };
export type { ThresholdRuleName } from '@seqpulse/contracts';

/** A stored rule row: `env` '' = project-wide; a null setting = its default (docs/alerting.md). */
export interface StoredRule {
  env: string;
  rule: AlertRuleName;
  threshold: number;
  enabled: boolean;
  warning?: number | null;
  recovery_critical?: number | null;
  recovery_warning?: number | null;
  window_min?: number | null;
  aggregation?: WindowAggregation | null;
  min_samples?: number | null;
}

export interface RuleProblem {
  field: string;
  problems: string[];
  /** Set when the problem has a code of its own (`recovery_wrong_side`, …). */
  code?: ErrorCode;
}

/** Settings that only a threshold rule has. */
const WINDOW_SETTINGS = ['window_min', 'aggregation', 'min_samples'] as const;

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
      else problems.push(...settingProblems(field, u));
      const key = `${u.rule}|${env}`;
      if (seen.has(key)) own.push(`rule ${u.rule} is listed twice for ${env === '' ? 'the project' : `env ${env}`}`);
      seen.add(key);
    }
    if (own.length) problems.push({ field, problems: own });
    rows.push({
      env,
      rule: u.rule,
      threshold: u.threshold,
      enabled: u.enabled ?? true,
      warning: u.warning ?? null,
      recovery_critical: u.recovery?.critical ?? null,
      recovery_warning: u.recovery?.warning ?? null,
      window_min: u.window_min ?? null,
      aggregation: u.aggregation ?? null,
      min_samples: u.min_samples ?? null,
    });
  });
  return { rows, problems };
}

/** Levels on the right side of each other, and no window setting on a rule without a window. */
function settingProblems(field: string, u: AlertRuleUpdate): RuleProblem[] {
  const problems: RuleProblem[] = levelProblems(u.rule, u).map((p) => ({
    field: `${field}.${p.field}`,
    problems: [p.message],
    code: p.code,
  }));
  if (alertRule(u.rule).kind === 'silence') {
    for (const setting of WINDOW_SETTINGS) {
      if (u[setting] === undefined || u[setting] === null) continue;
      problems.push({ field: `${field}.${setting}`, problems: [`${setting} does not apply to ${u.rule}`], code: 'setting_not_applicable' });
    }
  }
  return problems;
}

/** The rule set as served: the project-wide rules (stored or default), then the env overrides; settings only when set. */
export function ruleViews(stored: StoredRule[], envs: readonly string[]): AlertRuleView[] {
  const projectWide: AlertRuleView[] = ALERT_RULES.map((rule) => {
    const row = stored.find((r) => r.env === '' && r.rule === rule);
    return row ? ruleView(row) : { rule, env: null, threshold: ALERT_RULE_DEFAULTS[rule], enabled: true };
  });
  const overrides = stored
    .filter((r) => r.env !== '' && envs.includes(r.env))
    .sort((a, b) => envs.indexOf(a.env) - envs.indexOf(b.env) || ALERT_RULES.indexOf(a.rule) - ALERT_RULES.indexOf(b.rule))
    .map(ruleView);
  return [...projectWide, ...overrides];
}

function ruleView(r: StoredRule): AlertRuleView {
  const recovery = {
    ...(isSet(r.recovery_critical) ? { critical: r.recovery_critical } : {}),
    ...(isSet(r.recovery_warning) ? { warning: r.recovery_warning } : {}),
  };
  return {
    rule: r.rule,
    env: r.env === '' ? null : r.env,
    threshold: r.threshold,
    enabled: r.enabled,
    ...(isSet(r.warning) ? { warning: r.warning } : {}),
    ...(Object.keys(recovery).length ? { recovery } : {}),
    ...(isSet(r.window_min) ? { window_min: r.window_min } : {}),
    ...(isSet(r.aggregation) ? { aggregation: r.aggregation } : {}),
    ...(isSet(r.min_samples) ? { min_samples: r.min_samples } : {}),
  };
}

/** A setting stored (NULL in the database, or absent, is its default). */
function isSet<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}
