import { ALERT_RULE_CATALOGUE, ALERT_WINDOW_SECONDS } from '@seqpulse/contracts';
import type { AlertRuleDefinition, ThresholdRuleDefinition, WindowAggregation } from '@seqpulse/contracts';

/**
 * The collector writes a sample's `slot_at` at or a little before its `collected_at`; this bounds the
 * difference so the window query prunes the day partitions on `slot_at` (a sample collected more than an
 * hour after its slot would be ignored by the window).
 */
const SLOT_SLACK_S = 3600;
/** How far back `no_data` looks for the last sample; older than that, the env counts as silent since it was first monitored. */
const LAST_SAMPLE_LOOKBACK_S = 86_400;

const MONITORED_ENVS_CTE = `
  monitored AS (
    SELECT pm.project_id, e.env
      FROM project_monitoring pm CROSS JOIN LATERAL unnest(pm.envs) AS e(env)
     WHERE pm.monitored
  )`;

const ALERT_COLUMNS = 'id, project_id, env, rule, state, value, threshold, started_at, resolved_at, resolution_reason';

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
    RETURNING a.${ALERT_COLUMNS.split(', ').join(', a.')}
  )
  SELECT 'resolved' AS transition, * FROM swept`;

const SQL_AGGREGATE: Record<WindowAggregation, string> = { mean: 'avg', max: 'max', min: 'min' };

/** A catalogue of rules: the built-in one, or a larger one in the tests that prove adding a rule is one entry. */
export type RuleCatalogue = Readonly<Record<string, AlertRuleDefinition>>;

/** Column of the window aggregate a threshold rule compares, e.g. `error_rate_mean`. */
function aggregateColumn(rule: ThresholdRuleDefinition): string {
  return `${rule.metric}_${rule.aggregation}`;
}

/** The pieces of the evaluation statement that depend on the catalogue. */
function catalogueSql(catalogue: RuleCatalogue) {
  const names = Object.keys(catalogue);
  const threshold = names
    .filter((r) => catalogue[r].kind === 'threshold')
    .map((r) => [r, catalogue[r] as ThresholdRuleDefinition] as const);
  const columns = [...new Map(threshold.map(([, d]) => [aggregateColumn(d), d])).entries()];
  return {
    /** Every aggregate the threshold rules need, computed once per env in the window scan. */
    windowAggregates: columns.map(([column, d]) => `${SQL_AGGREGATE[d.aggregation]}(s.${d.metric}) AS ${column}`).join(', '),
    windowColumns: columns.map(([column]) => `w.${column}`).join(', '),
    /** `(rule, kind, default threshold)` rows. */
    ruleRows: names.map((r) => `('${r}', '${catalogue[r].kind}', ${Number(catalogue[r].defaultThreshold)}::float8)`).join(', '),
    /** The aggregate each threshold rule compares (NULL for silence rules). */
    ruleAggregate: `CASE d.rule ${threshold.map(([r, d]) => `WHEN '${r}' THEN e.${aggregateColumn(d)}`).join(' ')} END`,
    /** Whether each threshold rule's aggregate crosses its threshold (NULL when the window has no sample). */
    ruleCrossed: `CASE r.rule ${threshold
      .map(([r, d]) => `WHEN '${r}' THEN r.aggregate ${d.comparison === 'above' ? '>' : '<'} r.threshold`)
      .join(' ')} END`,
  };
}

/**
 * Every rule of every monitored project/env in one statement (set-based: the cost does not grow with one
 * query per project, and every rule of the catalogue shares one scan of the window; the SQL is composed from
 * `ALERT_RULE_CATALOGUE`, one code path per rule kind):
 * - `windows`: one range scan of the samples stored in the 5-minute window (`now - 300 s < collected_at <= now`;
 *   BRIN index on `collected_at`, day partitions pruned on `slot_at`), grouped by project/env: each aggregate a
 *   threshold rule compares, and the last sample. Only stored samples count; an env with none has no mean, fires no threshold rule, and
 *   an open threshold alert of it resolves (`no_samples_in_window`).
 * - `no_data` (N ≥ 5 minutes = the window): an env with a sample in the window is not silent. For the others
 *   only, one backward index probe finds the last sample (one day back at most); the reference is that sample, or
 *   when monitoring started for the env (`alert_monitored_envs.since`, recorded at its first evaluation) if later.
 *   It fires once `now` is N minutes past the reference (value: minutes of silence).
 * - The effective rule: env override, else the project rule, else the contract default.
 * - Then fire (insert: at most one open alert per project/env/rule, the partial unique index makes a duplicate a
 *   no-op) and resolve (update) in the same statement.
 */
export function buildEvaluateSql(catalogue: RuleCatalogue = ALERT_RULE_CATALOGUE): string {
  const c = catalogueSql(catalogue);
  return `
  WITH ${MONITORED_ENVS_CTE},
  windows AS (
    SELECT s.project_id, s.env, max(s.collected_at) AS last_at,
           ${c.windowAggregates}
      FROM samples s
     WHERE s.collected_at > $1::timestamptz - make_interval(secs => ${ALERT_WINDOW_SECONDS})
       AND s.collected_at <= $1::timestamptz
       AND s.slot_at > $1::timestamptz - make_interval(secs => ${ALERT_WINDOW_SECONDS + SLOT_SLACK_S})
       AND s.slot_at <= $1::timestamptz + make_interval(secs => ${SLOT_SLACK_S})
     GROUP BY s.project_id, s.env
  ),
  envs AS (
    SELECT m.project_id, m.env, w.last_at AS window_last_at, ${c.windowColumns}, ame.since
      FROM monitored m
      LEFT JOIN windows w ON w.project_id = m.project_id AND w.env = m.env
      LEFT JOIN alert_monitored_envs ame ON ame.project_id = m.project_id AND ame.env = m.env
  ),
  first_seen AS (
    INSERT INTO alert_monitored_envs (project_id, env, since)
    SELECT project_id, env, $1 FROM envs WHERE since IS NULL
    ON CONFLICT (project_id, env) DO NOTHING
  ),
  silent_envs AS (
    SELECT e.project_id, e.env, l.at AS last_at, greatest(l.at, coalesce(e.since, $1::timestamptz)) AS reference
      FROM envs e
      LEFT JOIN LATERAL (
        SELECT s.collected_at AS at FROM samples s
         WHERE s.project_id = e.project_id AND s.env = e.env
           AND s.collected_at <= $1::timestamptz
           AND s.slot_at > $1::timestamptz - make_interval(secs => ${LAST_SAMPLE_LOOKBACK_S})
           AND s.slot_at <= $1::timestamptz + make_interval(secs => ${SLOT_SLACK_S})
         ORDER BY s.slot_at DESC -- the primary key's order; a later slot is always a later sample
         LIMIT 1
      ) l ON true
     WHERE e.window_last_at IS NULL
  ),
  rules AS (
    SELECT e.project_id, e.env, d.rule, d.kind, e.window_last_at, ${c.ruleAggregate} AS aggregate,
           coalesce(re.threshold, rp.threshold, d.threshold) AS threshold,
           coalesce(re.enabled, rp.enabled, true) AS enabled
      FROM envs e
      CROSS JOIN (VALUES ${c.ruleRows}) AS d(rule, kind, threshold)
      LEFT JOIN alert_rules re ON re.project_id = e.project_id AND re.env = e.env AND re.rule = d.rule
      LEFT JOIN alert_rules rp ON rp.project_id = e.project_id AND rp.env = '' AND rp.rule = d.rule
  ),
  evaluated AS (
    SELECT r.project_id, r.env, r.rule, r.kind, r.threshold, r.enabled, coalesce(r.window_last_at, se.last_at) AS last_at,
           CASE WHEN r.kind = 'silence'
                THEN round((extract(epoch FROM $1::timestamptz - se.reference) / 60)::numeric, 2)::float8
                ELSE r.aggregate END AS value,
           CASE WHEN r.kind = 'silence'
                THEN coalesce($1::timestamptz >= se.reference + r.threshold * interval '1 minute', false)
                ELSE coalesce(${c.ruleCrossed}, false) END AS active
      FROM rules r
      LEFT JOIN silent_envs se ON r.kind = 'silence' AND se.project_id = r.project_id AND se.env = r.env
  ),
  fired AS (
    INSERT INTO alerts (project_id, env, rule, state, value, threshold, started_at)
    SELECT project_id, env, rule, 'firing', value, threshold, $1 FROM evaluated
     WHERE enabled AND active
    ON CONFLICT (project_id, env, rule) WHERE state = 'firing' DO NOTHING
    RETURNING ${ALERT_COLUMNS}
  ),
  resolved AS (
    UPDATE alerts a
       SET state = 'resolved', resolved_at = $1,
           resolution_reason = CASE WHEN NOT e.enabled THEN 'rule_disabled'
                                    WHEN e.kind = 'silence' AND e.last_at >= a.started_at - a.threshold * interval '1 minute' THEN 'sample_received'
                                    WHEN e.kind = 'silence' THEN 'recovered'
                                    WHEN e.value IS NULL THEN 'no_samples_in_window'
                                    ELSE 'recovered' END
      FROM evaluated e
     WHERE a.state = 'firing' AND a.project_id = e.project_id AND a.env = e.env AND a.rule = e.rule
       AND NOT (e.enabled AND e.active)
    RETURNING a.${ALERT_COLUMNS.split(', ').join(', a.')}
  )
  SELECT 'firing' AS transition, * FROM fired
  UNION ALL
  SELECT 'resolved' AS transition, * FROM resolved`;
}

export const EVALUATE_SQL = buildEvaluateSql();
