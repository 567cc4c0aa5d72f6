import { ALERT_RULE_DEFAULTS, ALERT_RULES, thresholdProblem } from '@seqpulse/contracts';
import type { AlertRuleName, AlertRuleUpdate, AlertRuleView } from '@seqpulse/contracts';

export { thresholdProblem };
export type { ThresholdRuleName } from '@seqpulse/contracts';

/** A stored rule row: `env` '' = project-wide. */
export interface StoredRule {
  env: string;
  rule: AlertRuleName;
  threshold: number;
  enabled: boolean;
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
