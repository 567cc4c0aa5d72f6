import {
  ALERT_RULE_CATALOGUE,
  ALERT_RULE_DEFAULTS,
  ALERT_RULE_SETTINGS,
  ALERT_RULES,
  alertRule,
  AlertRuleName,
  AlertRuleUpdate,
  AlertRuleView,
  levelProblems,
  METRICS,
  thresholdRange,
  WindowAggregation,
} from '@seqpulse/contracts';
import { ApiError } from '../../core/api-error';
import { formatNumber } from '../../core/format';

/** The editable fields of a rule, named as the API names them. */
export type RuleField = 'threshold' | 'warning' | 'recovery.critical' | 'recovery.warning' | 'window_min' | 'aggregation' | 'min_samples';

/**
 * One rule entry as the form holds it: numbers as typed, in display units (ratios as %). An empty field is the
 * default (no warning level, recovery at the threshold, the catalogue's window and aggregation).
 */
export interface RuleDraft {
  rule: AlertRuleName;
  /** null = the project-wide rule; otherwise an override for that env. */
  env: string | null;
  enabled: boolean;
  threshold: string;
  warning: string;
  recoveryCritical: string;
  recoveryWarning: string;
  windowMin: string;
  aggregation: WindowAggregation | '';
  minSamples: string;
}

export type DraftProblems = Partial<Record<RuleField | 'rule', string>>;

export function draftKey(d: { rule: AlertRuleName; env: string | null }): string {
  return `${d.env ?? ''}|${d.rule}`;
}

/** Whether a rule has levels, recovery and a window (threshold rules), per the catalogue. */
export function hasLevels(rule: AlertRuleName): boolean {
  return alertRule(rule).kind === 'threshold';
}

/** Stored value → display value: the metric's factor (ratios as %); silence rules count minutes. */
function factor(rule: AlertRuleName): number {
  const def = alertRule(rule);
  return def.kind === 'threshold' ? METRICS[def.metric].displayFactor : 1;
}

export function thresholdUnitLabel(rule: AlertRuleName): string {
  const def = alertRule(rule);
  return def.kind === 'threshold' ? METRICS[def.metric].displayUnit : 'min';
}

/** A stored value in display units, with its unit: `1 %`, `500 ms`, `5 min`. */
export function formatRuleValue(rule: AlertRuleName, raw: number): string {
  return `${formatNumber(raw * factor(rule))} ${thresholdUnitLabel(rule)}`;
}

/** The side an alert of this rule resolves on: `below` its threshold for an `above` rule. */
export function recoverySide(rule: AlertRuleName): 'below' | 'above' {
  const def = alertRule(rule);
  return def.kind === 'threshold' && def.comparison === 'below' ? 'above' : 'below';
}

export function defaultAggregation(rule: AlertRuleName): WindowAggregation | null {
  const def = ALERT_RULE_CATALOGUE[rule];
  return def.kind === 'threshold' ? def.aggregation : null;
}

const toText = (rule: AlertRuleName, raw: number | null | undefined) =>
  raw === null || raw === undefined ? '' : String(Number((raw * factor(rule)).toPrecision(10)));

/** A rule as served → its draft. */
export function toDraft(view: AlertRuleView): RuleDraft {
  return {
    rule: view.rule,
    env: view.env,
    enabled: view.enabled,
    threshold: toText(view.rule, view.threshold),
    warning: toText(view.rule, view.warning),
    recoveryCritical: toText(view.rule, view.recovery?.critical),
    recoveryWarning: toText(view.rule, view.recovery?.warning),
    windowMin: view.window_min === undefined ? '' : String(view.window_min),
    aggregation: view.aggregation ?? '',
    minSamples: view.min_samples === undefined ? '' : String(view.min_samples),
  };
}

/** The contract default of a rule: what a project that set nothing has. */
export function defaultDraft(rule: AlertRuleName, env: string | null = null): RuleDraft {
  return toDraft({ rule, env, threshold: ALERT_RULE_DEFAULTS[rule], enabled: true });
}

/** A project-wide draft that equals the contract default needs no stored row. */
export function isDefault(draft: RuleDraft): boolean {
  const d = defaultDraft(draft.rule, draft.env);
  return (Object.keys(d) as (keyof RuleDraft)[]).every((k) => String(draft[k]).trim() === String(d[k]));
}

type Parsed = { value: number | null; problem: string | null };

function parse(text: string): Parsed {
  const t = text.trim();
  if (t === '') return { value: null, problem: null };
  const n = Number(t);
  return Number.isFinite(n) ? { value: n, problem: null } : { value: null, problem: 'Enter a number.' };
}

function rawOf(rule: AlertRuleName, display: number | null): number | null {
  return display === null ? null : Number((display / factor(rule)).toPrecision(12));
}

function rangeText(rule: AlertRuleName): string {
  const range = thresholdRange(rule);
  const f = factor(rule);
  const unit = thresholdUnitLabel(rule);
  if (range.integer) return `a whole number from ${range.min * f} to ${range.max * f} ${unit}`;
  const [min, max] = [formatNumber(range.min * f), formatNumber(range.max * f)];
  return range.minExclusive ? `a value above ${min} ${unit}, at most ${max} ${unit}` : `a value from ${min} ${unit} to ${max} ${unit}`;
}

function integerProblem(text: string, bounds: { min: number; max: number }): string | null {
  const { value, problem } = parse(text);
  if (problem) return problem;
  if (value === null) return null;
  return Number.isInteger(value) && value >= bounds.min && value <= bounds.max
    ? null
    : `Enter a whole number from ${bounds.min} to ${bounds.max}.`;
}

/**
 * The problems the server would report for this draft (docs/api.md, "Alerting settings"), in display units:
 * ranges from the catalogue, and the level ordering from the contracts' `levelProblems`, so a rule that fires
 * "below" gets the mirrored checks without code of its own here.
 */
export function draftProblems(draft: RuleDraft): DraftProblems {
  const problems: DraftProblems = {};
  const fields: [RuleField, string][] = [
    ['threshold', draft.threshold],
    ['warning', draft.warning],
    ['recovery.critical', draft.recoveryCritical],
    ['recovery.warning', draft.recoveryWarning],
  ];
  const values = {} as Record<string, number | null>;
  for (const [field, text] of fields) {
    const parsed = parse(text);
    if (parsed.problem) problems[field] = parsed.problem;
    values[field] = rawOf(draft.rule, parsed.value);
  }
  if (!problems.threshold && values['threshold'] === null) problems.threshold = 'Enter a threshold.';
  const threshold = values['threshold'];
  if (!problems.threshold && threshold !== null) {
    const range = thresholdRange(draft.rule);
    const below = range.minExclusive ? threshold <= range.min : threshold < range.min;
    if (below || threshold > range.max || (range.integer && !Number.isInteger(threshold))) {
      problems.threshold = `Enter ${rangeText(draft.rule)}.`;
    }
  }
  if (hasLevels(draft.rule)) {
    const window = integerProblem(draft.windowMin, ALERT_RULE_SETTINGS.windowMin);
    if (window) problems.window_min = window;
    const samples = integerProblem(draft.minSamples, ALERT_RULE_SETTINGS.minSamples);
    if (samples) problems.min_samples = samples;
  }
  if (Object.keys(problems).length || threshold === null) return problems;
  const levels = levelProblems(draft.rule, {
    threshold,
    warning: values['warning'],
    recovery: { critical: values['recovery.critical'], warning: values['recovery.warning'] },
  });
  for (const p of levels) problems[p.field] = levelMessage(draft, p.field, p.code, threshold, values['warning']);
  return problems;
}

function levelMessage(draft: RuleDraft, field: RuleField, code: string, threshold: number, warning: number | null): string {
  const side = recoverySide(draft.rule);
  const fmt = (raw: number) => formatRuleValue(draft.rule, raw);
  switch (code) {
    case 'warning_wrong_side':
      return `The warning threshold must be ${side} the critical one (${fmt(threshold)}).`;
    case 'recovery_wrong_side':
      return field === 'recovery.critical'
        ? `Recovery must be at or ${side} the critical threshold (${fmt(threshold)}).`
        : `Recovery must be at or ${side} the warning threshold (${fmt(warning as number)}).`;
    case 'setting_not_applicable':
      return field === 'recovery.warning' ? 'Set a warning threshold first.' : `Does not apply to this rule.`;
    default:
      return `Enter ${rangeText(draft.rule)}.`;
  }
}

/** A valid draft → the entry of `PUT alert-rules`; only the settings that are set. */
export function toUpdate(draft: RuleDraft): AlertRuleUpdate {
  const raw = (text: string) => rawOf(draft.rule, parse(text).value);
  const update: AlertRuleUpdate = { rule: draft.rule, env: draft.env, threshold: raw(draft.threshold) as number, enabled: draft.enabled };
  if (!hasLevels(draft.rule)) return update;
  const warning = raw(draft.warning);
  const critical = raw(draft.recoveryCritical);
  const recoveryWarning = raw(draft.recoveryWarning);
  if (warning !== null) update.warning = warning;
  if (critical !== null || recoveryWarning !== null) {
    update.recovery = { ...(critical !== null ? { critical } : {}), ...(recoveryWarning !== null ? { warning: recoveryWarning } : {}) };
  }
  if (draft.windowMin.trim() !== '') update.window_min = Number(draft.windowMin);
  if (draft.aggregation !== '') update.aggregation = draft.aggregation;
  if (draft.minSamples.trim() !== '') update.min_samples = Number(draft.minSamples);
  return update;
}

/** The drafts to send: project-wide rules that differ from the default, then every env override. */
export function toRuleSet(drafts: readonly RuleDraft[]): RuleDraft[] {
  return drafts.filter((d) => d.env !== null || !isDefault(d));
}

/** The rule set as served → one project-wide draft per catalogue rule, then the overrides. */
export function toDrafts(views: readonly AlertRuleView[]): RuleDraft[] {
  const projectWide = ALERT_RULES.map((rule) => {
    const view = views.find((v) => v.env === null && v.rule === rule);
    return view ? toDraft(view) : defaultDraft(rule);
  });
  return [...projectWide, ...views.filter((v) => v.env !== null).map(toDraft)];
}

const FIELD_OF: Record<string, RuleField> = {
  threshold: 'threshold',
  warning: 'warning',
  'recovery.critical': 'recovery.critical',
  'recovery.warning': 'recovery.warning',
  window_min: 'window_min',
  aggregation: 'aggregation',
  min_samples: 'min_samples',
};

/**
 * A 400 of `PUT alert-rules` → problems per draft: `details.fields[].field` is `rules.<i>.<field>` where `i` is
 * the index in the body that was sent (`sent`).
 */
export function serverProblems(err: ApiError, sent: readonly RuleDraft[]): Map<string, DraftProblems> {
  const out = new Map<string, DraftProblems>();
  const fields = (err.details?.['fields'] ?? []) as { field?: string; problems?: string[] }[];
  for (const f of Array.isArray(fields) ? fields : []) {
    const match = /^rules\.(\d+)(?:\.(.+))?$/.exec(f.field ?? '');
    const draft = match ? sent[Number(match[1])] : undefined;
    if (!match || !draft) continue;
    const field = match[2] ? (FIELD_OF[match[2]] ?? 'rule') : 'rule';
    const key = draftKey(draft);
    out.set(key, { ...out.get(key), [field]: f.problems?.[0] ?? err.message });
  }
  return out;
}
