import { ALERT_LEVELS, ALERT_RULES, AlertLevel, AlertRuleName, AlertState } from '@seqpulse/contracts';
import { isoSeconds } from '../../core/format';

/** Ranges of the history screen (the alerts active at some point of it). */
export const HISTORY_RANGES = [
  { id: '24h', label: '24 hours', ms: 86_400_000 },
  { id: '7d', label: '7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: '30 days', ms: 30 * 86_400_000 },
] as const;
export type HistoryRangeId = (typeof HISTORY_RANGES)[number]['id'];
export const DEFAULT_HISTORY_RANGE: HistoryRangeId = '7d';
export const ALERT_STATES: readonly AlertState[] = ['firing', 'resolved'];
/** Alerts listed per request (the route allows 1000). */
export const HISTORY_LIMIT = 200;

/** The history screen's state, all of it in the URL query; `null`: no filter. */
export interface HistoryFilters {
  rule: AlertRuleName | null;
  env: string | null;
  level: AlertLevel | null;
  state: AlertState | null;
  range: HistoryRangeId | 'custom';
  /** ISO seconds, only for `custom`. */
  from: string | null;
  to: string | null;
  /** The alert whose timeline is open. */
  alert: string | null;
}

export const DEFAULT_FILTERS: HistoryFilters = {
  rule: null,
  env: null,
  level: null,
  state: null,
  range: DEFAULT_HISTORY_RANGE,
  from: null,
  to: null,
  alert: null,
};

type Query = Record<string, string | null | undefined>;

const ENV_RE = /^[a-z0-9-]{1,32}$/;
const ID_RE = /^[A-Za-z0-9-]{1,64}$/;

function oneOf<T extends string>(values: readonly T[], value: string | null | undefined): T | null {
  return value && (values as readonly string[]).includes(value) ? (value as T) : null;
}

function instant(value: string | null | undefined): string | null {
  const ms = value ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? isoSeconds(ms) : null;
}

/** URL query → filters; an unknown value is no filter (a stale link still opens). */
export function parseHistoryFilters(query: Query): HistoryFilters {
  const from = instant(query['from']);
  const to = instant(query['to']);
  const custom = from !== null && to !== null && Date.parse(from) < Date.parse(to);
  const env = query['env'];
  const alert = query['alert'];
  return {
    rule: oneOf(ALERT_RULES, query['rule']),
    env: env && ENV_RE.test(env) ? env : null,
    level: oneOf(ALERT_LEVELS, query['level']),
    state: oneOf(ALERT_STATES, query['state']),
    range: custom
      ? 'custom'
      : (oneOf(
          HISTORY_RANGES.map((r) => r.id),
          query['range'],
        ) ?? DEFAULT_HISTORY_RANGE),
    from: custom ? from : null,
    to: custom ? to : null,
    alert: alert && ID_RE.test(alert) ? alert : null,
  };
}

/** Filters → URL query, defaults left out. */
export function historyQueryParams(f: HistoryFilters): Record<string, string> {
  const q: Record<string, string> = {};
  if (f.rule) q['rule'] = f.rule;
  if (f.env) q['env'] = f.env;
  if (f.level) q['level'] = f.level;
  if (f.state) q['state'] = f.state;
  if (f.range === 'custom' && f.from && f.to) {
    q['from'] = f.from;
    q['to'] = f.to;
  } else if (f.range !== 'custom' && f.range !== DEFAULT_HISTORY_RANGE) q['range'] = f.range;
  if (f.alert) q['alert'] = f.alert;
  return q;
}

/** The `GET /monitoring/enterprise/alert-history` query of the filters at `now`. */
export function historyApiQuery(
  projectId: string,
  f: HistoryFilters,
  now: number,
): { project_id: string } & Record<string, string | number> {
  const preset = HISTORY_RANGES.find((r) => r.id === f.range) ?? HISTORY_RANGES[1];
  const from = f.range === 'custom' && f.from ? f.from : isoSeconds(now - preset.ms);
  const to = f.range === 'custom' && f.to ? f.to : isoSeconds(now);
  const q: { project_id: string } & Record<string, string | number> = { project_id: projectId, from, to, limit: HISTORY_LIMIT };
  if (f.rule) q['rule'] = f.rule;
  if (f.env) q['env'] = f.env;
  if (f.level) q['level'] = f.level;
  if (f.state) q['state'] = f.state;
  return q;
}
