import { ALERT_RULE_CATALOGUE, ALERT_RULE_SETTINGS, ALERT_WINDOW_SECONDS } from '@seqpulse/contracts';
import type { AlertRuleDefinition, ThresholdRuleDefinition, WindowAggregation } from '@seqpulse/contracts';
import { MAX_COLLECTION_LAG_S } from '../samples/samples.store';

/**
 * A sample's `slot_at` is at most this much before its `collected_at` (and never after it: the store refuses
 * anything else), so a window of `collected_at` is a primary-key range of `slot_at` this much wider, which also
 * prunes the day partitions. It was an hour: the window's scan of each env then read ~260 rows to keep 20 once
 * an hour of samples existed (docs/performance.md, "Eleventh round").
 */
const SLOT_SLACK_S = MAX_COLLECTION_LAG_S;
/** How far back `no_data` looks for the last sample; older than that, the env counts as silent since it was first monitored. */
const LAST_SAMPLE_LOOKBACK_S = 86_400;

/**
 * Which envs one evaluation covers: `all` monitored envs (the periodic pass), or only the monitored envs among the
 * pairs `unnest($2::uuid[], $3::text[])` (the envs whose samples just arrived; see prompt-evaluation.ts).
 */
export type EvaluationScope = 'all' | 'envs';

function monitoredEnvsCte(scope: EvaluationScope): string {
  if (scope === 'envs') {
    // Driven by the given pairs: one primary-key probe of each one's project.
    return `
  monitored AS (
    SELECT t.project_id, t.env
      FROM (SELECT DISTINCT u.project_id, u.env FROM unnest($2::uuid[], $3::text[]) AS u(project_id, env)) t
      JOIN project_monitoring pm ON pm.project_id = t.project_id
     WHERE pm.monitored AND t.env = ANY (pm.envs)
  )`;
  }
  return `
  monitored AS (
    SELECT pm.project_id, e.env
      FROM project_monitoring pm CROSS JOIN LATERAL unnest(pm.envs) AS e(env)
     WHERE pm.monitored
  )`;
}

const ALERT_COLUMNS =
  'id, project_id, env, rule, state, value, threshold, started_at, resolved_at, resolution_reason, level, silenced, announce_seq';

/**
 * Open alerts of projects that left Enterprise or the rollout, or of envs removed from their project, are
 * resolved with that reason; the `no_data` reference of envs no longer monitored is forgotten.
 */
export const SWEEP_SQL = `
  WITH forgotten AS (
    DELETE FROM alert_monitored_envs ame
     WHERE NOT EXISTS (SELECT 1 FROM project_monitoring pm WHERE pm.project_id = ame.project_id AND ame.env = ANY (pm.envs) AND pm.monitored)
  ),
  swept AS (
    UPDATE alerts a
       SET state = 'resolved', resolved_at = $1,
           resolution_reason = CASE WHEN pm.plan <> 'enterprise' THEN 'plan_not_enterprise'
                                    WHEN NOT pm.monitored THEN 'monitoring_not_enabled'
                                    ELSE 'env_removed' END
      FROM project_monitoring pm
     WHERE a.state = 'firing' AND pm.project_id = a.project_id
       AND (NOT pm.monitored OR NOT (a.env = ANY (pm.envs)))
    RETURNING a.${ALERT_COLUMNS.split(', ').join(', a.')}, a.level AS previous_level, a.silenced AS previous_silenced,
              NOT a.silenced AND a.last_announced_at IS NOT NULL AS announced, false AS renotified_now,
              NULL::float8 AS observed
  )
  SELECT 'resolved' AS transition, * FROM swept`;

/** A catalogue of rules: the built-in one, or a larger one in the tests that prove adding a rule is one entry. */
export type RuleCatalogue = Readonly<Record<string, AlertRuleDefinition>>;

const AGGREGATIONS: readonly WindowAggregation[] = ALERT_RULE_SETTINGS.aggregations;
const SQL_AGGREGATE: Record<WindowAggregation, string> = { mean: 'avg', max: 'max', min: 'min' };
const DEFAULT_WINDOW_MIN = ALERT_RULE_SETTINGS.windowMin.default;

/** The pieces of the evaluation statement that depend on the catalogue. */
function catalogueSql(catalogue: RuleCatalogue) {
  const names = Object.keys(catalogue);
  const threshold = names
    .filter((r) => catalogue[r].kind === 'threshold')
    .map((r) => [r, catalogue[r] as ThresholdRuleDefinition] as const);
  const metrics = [...new Set(threshold.map(([, d]) => d.metric))];
  /** `CASE <rule> WHEN 'r' THEN <expression of its definition> … END` over the threshold rules. */
  const perRule = (subject: string, expression: (d: ThresholdRuleDefinition) => string) =>
    `CASE ${subject} ${threshold.map(([r, d]) => `WHEN '${r}' THEN ${expression(d)}`).join(' ')} END`;
  /** Whether the aggregate is past a level in the rule's direction (NULL when either is NULL). */
  const crossed = (level: string) => perRule('r.rule', (d) => `r.aggregate ${d.comparison === 'above' ? '>' : '<'} ${level}`);
  return {
    /** Every aggregation of every metric a threshold rule reads, computed once per env in the default window's scan. */
    windowAggregates: metrics
      .flatMap((m) => AGGREGATIONS.map((a) => `${SQL_AGGREGATE[a]}(s.${m}) AS ${m}_${a}`))
      .concat('count(*) AS samples')
      .join(', '),
    windowColumns: metrics
      .flatMap((m) => AGGREGATIONS.map((a) => `w.${m}_${a}`))
      .concat('coalesce(w.samples, 0) AS samples')
      .join(', '),
    /** `(rule, kind, default threshold, default aggregation)` rows. */
    ruleRows: names
      .map((r) => {
        const d = catalogue[r];
        return `('${r}', '${d.kind}', ${Number(d.defaultThreshold)}::float8, '${d.kind === 'threshold' ? d.aggregation : 'mean'}')`;
      })
      .join(', '),
    /** The default window's aggregate a threshold rule compares, by its aggregation setting (NULL for silence rules). */
    defaultAggregate: perRule(
      'r.rule',
      (d) => `CASE r.aggregation ${AGGREGATIONS.map((a) => `WHEN '${a}' THEN r.${d.metric}_${a}`).join(' ')} END`,
    ),
    /** The metric column a threshold rule reads, for the scan of a window of another length. */
    ruleMetric: perRule('r.rule', (d) => `s.${d.metric}`),
    crossed,
  };
}

/** The setting of the row that applies: the env override when there is one, else the project-wide row. */
const setting = (column: string) => `CASE WHEN re.rule IS NOT NULL THEN re.${column} ELSE rp.${column} END`;

/** `apply` writes the transitions and returns them; `due` writes nothing and returns the envs that have one to make. */
export type EvaluationMode = 'apply' | 'due';

/** A `decided` row opens an alert (the `fired` insert). */
const OPENS = 'open_id IS NULL AND level IS NOT NULL';
/** A `pending` row (an open alert that stays open) changes: level, silence, first or repeated announcement. */
const CHANGES =
  '(p.level <> p.open_level OR p.muted <> p.open_silenced OR (NOT p.muted AND (p.last_announced_at IS NULL OR p.renotify_due)))';

/** Opens, changes and resolves the alerts as decided, and returns each transition. */
const APPLY_TAIL = `,
  fired AS (
    INSERT INTO alerts (project_id, env, rule, state, value, threshold, started_at, level, silenced, last_announced_at)
    SELECT project_id, env, rule, 'firing', value, CASE WHEN level = 'critical' THEN threshold ELSE warning END, $1, level, muted,
           CASE WHEN muted THEN NULL ELSE $1::timestamptz END
      FROM decided
     WHERE ${OPENS}
    ON CONFLICT (project_id, env, rule) WHERE state = 'firing' DO NOTHING
    RETURNING ${ALERT_COLUMNS}, NULL::text AS previous_level, NULL::boolean AS previous_silenced, NOT silenced AS announced, false AS renotified_now,
              value AS observed
  ),
  changed AS (
    UPDATE alerts a
       SET level = p.level,
           threshold = CASE WHEN p.level = 'critical' THEN p.threshold ELSE p.warning END,
           value = CASE WHEN p.level <> p.open_level THEN p.value ELSE a.value END,
           silenced = p.muted,
           announce_seq = a.announce_seq + 1,
           last_announced_at = CASE WHEN NOT p.muted AND (p.escalated OR p.last_announced_at IS NULL OR p.renotify_due) THEN $1 ELSE a.last_announced_at END,
           renotified = a.renotified + CASE WHEN NOT p.muted AND p.renotify_due AND NOT p.escalated THEN 1 ELSE 0 END
      FROM pending p
     WHERE a.id = p.open_id AND ${CHANGES}
    RETURNING a.${ALERT_COLUMNS.split(', ').join(', a.')}, p.open_level AS previous_level, p.open_silenced AS previous_silenced,
              NOT p.muted AND (p.escalated OR p.last_announced_at IS NULL OR p.renotify_due) AS announced,
              NOT p.muted AND p.renotify_due AND NOT p.escalated AS renotified_now, p.value AS observed
  ),
  resolved AS (
    UPDATE alerts a
       SET state = 'resolved', resolved_at = $1, silenced = e.muted,
           resolution_reason = CASE WHEN NOT e.enabled THEN 'rule_disabled'
                                    WHEN e.kind = 'silence' AND e.last_at >= a.started_at - a.threshold * interval '1 minute' THEN 'sample_received'
                                    WHEN e.kind = 'silence' THEN 'recovered'
                                    WHEN e.value IS NULL THEN 'no_samples_in_window'
                                    ELSE 'recovered' END
      FROM decided e
     WHERE a.id = e.open_id AND e.level IS NULL
    RETURNING a.${ALERT_COLUMNS.split(', ').join(', a.')}, a.level AS previous_level, e.open_silenced AS previous_silenced,
              NOT e.muted AND a.last_announced_at IS NOT NULL AS announced, false AS renotified_now,
              e.value AS observed
  )
  SELECT 'firing' AS transition, * FROM fired
  UNION ALL
  SELECT 'changed' AS transition, * FROM changed
  UNION ALL
  SELECT 'resolved' AS transition, * FROM resolved`;

/**
 * The envs with something to write (exactly the rows the apply tail would write, and the envs evaluated for the first
 * time, whose `no_data` reference is recorded): in steady state none, and the evaluation of arriving samples stops there.
 */
const DUE_TAIL = `
  SELECT DISTINCT project_id, env FROM (
    SELECT project_id, env FROM envs WHERE since IS NULL
    UNION ALL SELECT project_id, env FROM decided WHERE ${OPENS}
    UNION ALL SELECT project_id, env FROM decided WHERE open_id IS NOT NULL AND level IS NULL
    UNION ALL SELECT project_id, env FROM pending p WHERE ${CHANGES}
  ) due`;

/**
 * Every rule of every monitored project/env in one statement (set-based: the cost does not grow with one
 * query per project, and every rule of the catalogue shares one scan of the window; the SQL is composed from
 * `ALERT_RULE_CATALOGUE`, one code path per rule kind):
 * - `windows`: one range scan of the samples stored in the default 5-minute window (`now - 300 s < collected_at <= now`;
 *   BRIN index on `collected_at`, day partitions pruned on `slot_at`), grouped by project/env: every aggregation of
 *   every metric a rule reads, the sample count and the last sample. Only stored samples count; an env with none has
 *   no aggregate, fires no threshold rule, and an open threshold alert of it resolves (`no_samples_in_window`).
 * - `no_data` (N ≥ 5 minutes = the window): an env with a sample in the window is not silent. For the others
 *   only, one backward index probe finds the last sample (one day back at most); the reference is that sample, or
 *   when monitoring started for the env (`alert_monitored_envs.since`, recorded at its first evaluation) if later.
 *   It fires once `now` is N minutes past the reference (value: minutes of silence).
 * - `rules`: the effective rule: env override, else the project rule, else the contract default; its settings
 *   (docs/alerting.md) from the same row. `measured`: a rule with another window length than 5 minutes scans its
 *   own window (one index range per such rule; none for the defaults).
 * - `evaluated`: the level each rule should be at, with hysteresis: an open alert of a level holds while the
 *   aggregate stays past that level's recovery threshold; `critical` beats `warning`; opening needs `min_samples`.
 * - `decided`: whether a silence, a maintenance interval or (opted in) a running deployment of the env, within its
 *   cap, covers the alert (only for rows with an alert to be).
 * - Then (`mode` `apply`) open (insert: at most one open alert per project/env/rule, the partial unique index makes a
 *   duplicate a no-op), change (level, silenced, re-notification) and resolve, in the same statement; or (`mode`
 *   `due`) write nothing and return the envs that have any of these to make or are evaluated for the first time.
 */
export function buildEvaluateSql(
  catalogue: RuleCatalogue = ALERT_RULE_CATALOGUE,
  scope: EvaluationScope = 'all',
  mode: EvaluationMode = 'apply',
): string {
  const c = catalogueSql(catalogue);
  const windowStart = (seconds: string) => `$1::timestamptz - make_interval(secs => ${seconds})`;
  const inCollectedWindow = `s.collected_at > ${windowStart(String(ALERT_WINDOW_SECONDS))}
       AND s.collected_at <= $1::timestamptz
       AND s.slot_at > ${windowStart(String(ALERT_WINDOW_SECONDS + SLOT_SLACK_S))}`;
  const inWindow = `${inCollectedWindow}
       AND s.slot_at <= $1::timestamptz`;
  // Every env: one range scan of the window (BRIN on collected_at), joined to the envs. Its slot range has no upper
  // bound (implied: a slot is never after its collection): with both bounds, the generic plan's guess of a closed
  // range (0.5 % of the rows) made the planner AND the BRIN pages with a primary-key skip scan over every env's
  // prefix (~600 index searches, 8 of the pass's ~50 ms; docs/performance.md, "Twelfth round"); the days after today
  // it no longer prunes are empty. A few envs: one primary-key range each, read beside its env (a lateral join: the
  // envs form runs as a prepared statement with a generic plan, where the planner cannot know how many envs `$2`
  // holds, and a lateral read stays one per env whatever it guesses).
  const allWindows = `
  windows AS (
    SELECT s.project_id, s.env, max(s.collected_at) AS last_at, ${c.windowAggregates}
      FROM samples s
     WHERE ${inCollectedWindow}
     GROUP BY s.project_id, s.env
  ),`;
  const windowOfEnv =
    scope === 'all'
      ? 'LEFT JOIN windows w ON w.project_id = m.project_id AND w.env = m.env'
      : `LEFT JOIN LATERAL (
        SELECT max(s.collected_at) AS last_at, ${c.windowAggregates}
          FROM samples s
         WHERE s.project_id = m.project_id AND s.env = m.env AND ${inWindow}
      ) w ON w.samples > 0`;
  return `
  WITH ${monitoredEnvsCte(scope)},${scope === 'all' ? allWindows : ''}
  envs AS (
    SELECT m.project_id, m.env, w.last_at AS window_last_at, ${c.windowColumns}, ame.since
      FROM monitored m
      ${windowOfEnv}
      LEFT JOIN alert_monitored_envs ame ON ame.project_id = m.project_id AND ame.env = m.env
  ),
${
  mode === 'apply'
    ? `
  first_seen AS (
    INSERT INTO alert_monitored_envs (project_id, env, since)
    SELECT project_id, env, $1 FROM envs WHERE since IS NULL
    ON CONFLICT (project_id, env) DO NOTHING
  ),`
    : ''
}
  silent_envs AS (
    SELECT e.project_id, e.env, l.at AS last_at, greatest(l.at, coalesce(e.since, $1::timestamptz)) AS reference
      FROM envs e
      LEFT JOIN LATERAL (
        SELECT s.collected_at AS at FROM samples s
         WHERE s.project_id = e.project_id AND s.env = e.env
           AND s.collected_at <= $1::timestamptz
           AND s.slot_at > ${windowStart(String(LAST_SAMPLE_LOOKBACK_S))}
           AND s.slot_at <= $1::timestamptz
         ORDER BY s.slot_at DESC -- the primary key's order; a later slot is always a later sample
         LIMIT 1
      ) l ON true
     WHERE e.window_last_at IS NULL
  ),
  rules AS (
    SELECT e.*, d.rule, d.kind,
           coalesce(re.threshold, rp.threshold, d.threshold) AS threshold,
           coalesce(re.enabled, rp.enabled, true) AS enabled,
           ${setting('warning')} AS warning,
           coalesce(${setting('recovery_critical')}, re.threshold, rp.threshold, d.threshold) AS recovery_critical,
           coalesce(${setting('recovery_warning')}, ${setting('warning')}) AS recovery_warning,
           coalesce(${setting('window_min')}, ${DEFAULT_WINDOW_MIN}) AS window_min,
           coalesce(${setting('aggregation')}, d.aggregation) AS aggregation,
           coalesce(${setting('min_samples')}, ${ALERT_RULE_SETTINGS.minSamples.default}) AS min_samples
      FROM envs e
      CROSS JOIN (VALUES ${c.ruleRows}) AS d(rule, kind, threshold, aggregation)
      LEFT JOIN alert_rules re ON re.project_id = e.project_id AND re.env = e.env AND re.rule = d.rule
      LEFT JOIN alert_rules rp ON rp.project_id = e.project_id AND rp.env = '' AND rp.rule = d.rule
  ),
  custom_windows AS (
    -- Only the rule rows with another window length than the default; the filter runs before the lateral scan.
    SELECT r.project_id, r.env, r.rule, own.aggregate, own.samples
      FROM rules r
      CROSS JOIN LATERAL (
        SELECT CASE r.aggregation WHEN 'max' THEN max(x.v) WHEN 'min' THEN min(x.v) ELSE avg(x.v) END AS aggregate, count(*) AS samples
          FROM (SELECT ${c.ruleMetric} AS v FROM samples s
                 WHERE s.project_id = r.project_id AND s.env = r.env
                   AND s.collected_at > ${windowStart('r.window_min * 60')} AND s.collected_at <= $1::timestamptz
                   AND s.slot_at > ${windowStart(`r.window_min * 60 + ${SLOT_SLACK_S}`)}
                   AND s.slot_at <= $1::timestamptz) x
      ) own
     WHERE r.kind = 'threshold' AND r.window_min <> ${DEFAULT_WINDOW_MIN}
  ),
  measured AS (
    SELECT r.project_id, r.env, r.rule, r.kind, r.window_last_at, r.threshold, r.enabled, r.warning,
           r.recovery_critical, r.recovery_warning, r.min_samples,
           CASE WHEN r.window_min = ${DEFAULT_WINDOW_MIN} THEN ${c.defaultAggregate} ELSE cw.aggregate END AS aggregate,
           CASE WHEN r.window_min = ${DEFAULT_WINDOW_MIN} THEN r.samples ELSE cw.samples END AS samples
      FROM rules r
      LEFT JOIN custom_windows cw ON cw.project_id = r.project_id AND cw.env = r.env AND cw.rule = r.rule
  ),
  evaluated AS (
    SELECT r.project_id, r.env, r.rule, r.kind, r.threshold, r.warning, r.enabled, coalesce(r.window_last_at, se.last_at) AS last_at,
           CASE WHEN r.kind = 'silence'
                THEN round((extract(epoch FROM $1::timestamptz - se.reference) / 60)::numeric, 2)::float8
                ELSE r.aggregate END AS value,
           a.id AS open_id, a.level AS open_level, a.silenced AS open_silenced,
           CASE WHEN NOT r.enabled THEN NULL
                WHEN r.kind = 'silence'
                THEN CASE WHEN $1::timestamptz >= se.reference + r.threshold * interval '1 minute' THEN 'critical' END
                WHEN r.samples >= r.min_samples AND ${c.crossed('r.threshold')} THEN 'critical'
                WHEN a.level = 'critical' AND ${c.crossed('r.recovery_critical')} THEN 'critical'
                WHEN r.samples >= r.min_samples AND ${c.crossed('r.warning')} THEN 'warning'
                WHEN a.id IS NOT NULL AND ${c.crossed('r.recovery_warning')} THEN 'warning'
           END AS level
      FROM measured r
      LEFT JOIN silent_envs se ON r.kind = 'silence' AND se.project_id = r.project_id AND se.env = r.env
      LEFT JOIN alerts a ON a.project_id = r.project_id AND a.env = r.env AND a.rule = r.rule AND a.state = 'firing'
  ),
  decided AS (
    SELECT e.*,
           CASE WHEN e.level IS NULL AND e.open_id IS NULL THEN false
                ELSE EXISTS (SELECT 1 FROM alert_silences s
                              WHERE s.project_id = e.project_id AND s.ends_at > $1 AND s.starts_at <= $1
                                AND (s.env IS NULL OR s.env = e.env) AND (s.rule IS NULL OR s.rule = e.rule))
                  OR EXISTS (SELECT 1 FROM maintenance_intervals mi
                              WHERE mi.project_id = e.project_id AND mi.ends_at > $1 AND mi.starts_at <= $1
                                AND (mi.env IS NULL OR mi.env = e.env))
                  OR EXISTS (SELECT 1 FROM alert_deployment_silence ds JOIN deployment_windows dw ON dw.project_id = ds.project_id
                              WHERE ds.project_id = e.project_id AND dw.env = e.env
                                AND dw.started_at <= $1 AND (dw.finished_at IS NULL OR dw.finished_at > $1)
                                AND dw.started_at > $1::timestamptz - make_interval(mins => ds.max_min)) END AS muted
      FROM evaluated e
  ),
  pending AS (
    SELECT d.*, a.last_announced_at, a.renotified,
           d.level = 'critical' AND d.open_level = 'warning' AS escalated,
           np.renotify_min IS NOT NULL AND d.level = d.open_level AND a.last_announced_at IS NOT NULL
             AND a.last_announced_at + np.renotify_min * interval '1 minute' <= $1 AND a.renotified < np.renotify_max AS renotify_due
      FROM decided d
      JOIN alerts a ON a.id = d.open_id
      LEFT JOIN alert_notification_policy np ON np.project_id = d.project_id
     WHERE d.level IS NOT NULL
  )${mode === 'apply' ? APPLY_TAIL : DUE_TAIL}`;
}

export const EVALUATE_SQL = buildEvaluateSql();
/** The same evaluation for the envs `$2`/`$3` only (no sweep: removed envs and left projects are the periodic pass's). */
export const EVALUATE_ENVS_SQL = buildEvaluateSql(ALERT_RULE_CATALOGUE, 'envs');
/** Which of the envs `$2`/`$3` the evaluation would write anything for (read-only; see `AlertEvaluator.evaluateEnvs`). */
export const ENVS_DUE_SQL = buildEvaluateSql(ALERT_RULE_CATALOGUE, 'envs', 'due');
