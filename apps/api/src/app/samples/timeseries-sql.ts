import { METRIC_NAMES, METRICS } from '@seqpulse/contracts';
import type { DeploymentMarker, Phase, StepAggregation } from '@seqpulse/contracts';
import { MINUTE_OF_SAMPLE, quarterOf, RAW_ROLLUP_AGGREGATES, ROLLUP_AGGREGATE_COLUMNS } from './rollup-sql';
import { MAX_COLLECTION_LAG_S } from './samples.store';
import { liveAndArchivedSql } from './archive-sql';

/** SQL aggregate of one step for each aggregation the metric catalogue declares. */
const SQL_AGGREGATE: Record<StepAggregation, string> = { mean: 'avg', max: 'max' };
const MAX_DEPLOYMENTS = 1000;

/** The buckets a time-series read covers (the monitoring module's parsed request satisfies it). */
export interface BucketRange {
  env: string;
  phase: Phase | null;
  stepS: number;
  /** Start of the first and last bucket (epoch seconds, multiples of stepS). */
  firstBucket: number;
  lastBucket: number;
}

/**
 * The answer as Postgres returns it: ONE row. `offsets` lists the non-empty buckets (bucket index from the first
 * bucket) and each metric the matching values, as the text of float8 arrays (shortest exact digits, valid JSON
 * numbers), so the driver parses neither 1,441 rows nor 7,000 numbers; Node lays them on the bucket grid.
 */
export interface TimeseriesRow {
  offsets: string | null;
  deployments: DeploymentMarker[];
  [metric: string]: string | null | DeploymentMarker[];
}

/**
 * Rollup levels (migrations SamplesRollups, RollupsAsync, Rollups15m), coarsest first: per project, env, phase and
 * bucket, the count and the sum and max of each metric, recomputed by the worker catch-up once a minute settles.
 */
export const ROLLUPS = [
  { table: 'samples_15m', widthS: 900 },
  { table: 'samples_1m', widthS: 60 },
] as const;
export type Rollup = (typeof ROLLUPS)[number];

/** The oldest instant (epoch s) each tier holds (TIER_STARTS_SQL); null for an empty tier. */
export interface TierStarts {
  raw: number | null;
  minute: number | null;
  quarter: number | null;
}

/**
 * Where each tier starts: the oldest day partition or archived day of the raw samples, the oldest bucket or
 * archived day of each rollup (index and catalogue lookups only; the service keeps it for a minute).
 */
export const TIER_STARTS_SQL = `
  SELECT extract(epoch FROM least(
           (SELECT min(to_date(substring(c.relname, 9, 8), 'YYYYMMDD'))::timestamp AT TIME ZONE 'UTC'
              FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'samples'::regclass AND c.relname ~ '^samples_[0-9]{8}$'),
           (SELECT min(period_start) FROM samples_archive)))::float8 AS raw,
         ${ROLLUPS.map((r, i) => `extract(epoch FROM least((SELECT min(bucket) FROM ${r.table}), (SELECT min(period_start) FROM ${r.table}_archive)))::float8 AS ${i === 0 ? 'quarter' : 'minute'}`).join(',\n         ')}`;

/**
 * The coarsest rollup whose width divides the step (exact then), or null for raw samples. With `coverage`, a range
 * starting before that tier's oldest data, where a coarser tier holds older data (a finer tier is kept for fewer
 * days: SEQPULSE_RETENTION_*_DAYS), is read from that coarser tier (the finest that covers the range): a 15 s
 * step over days older than the raw retention answers one value per minute (the 1-minute means and maxima,
 * each at its minute's first bucket; the other buckets null).
 */
export function rollupFor(stepS: number, available: boolean, coverage?: { firstBucket: number; starts: TierStarts }): Rollup | null {
  if (!available) return null;
  const starts = coverage?.starts;
  const tiers = [
    { rollup: null, widthS: 1, start: starts?.raw },
    { rollup: ROLLUPS[1], widthS: ROLLUPS[1].widthS, start: starts?.minute },
    { rollup: ROLLUPS[0], widthS: ROLLUPS[0].widthS, start: starts?.quarter },
  ];
  let i = tiers.length - 1;
  while (stepS % tiers[i].widthS !== 0) i--; // the raw tier divides every step
  const older = (a: number | null | undefined, b: number | null | undefined) => a != null && (b == null || a < b);
  while (coverage && i < tiers.length - 1 && older(coverage.firstBucket, tiers[i].start) && older(tiers[i + 1].start, tiers[i].start)) i++;
  return tiers[i].rollup;
}

/** The per-bucket aggregation: over raw samples, or over a rollup (exact: the step is a multiple of its width). */
function aggregationSql(rollup: Rollup | null, phaseParam: string | null): string {
  const phaseOn = (alias: string) => (phaseParam ? `AND ${alias}.phase = ${phaseParam}` : '');
  const phaseFilter = phaseOn('s');
  if (!rollup) {
    const aggregates = METRIC_NAMES.map((m) => `${SQL_AGGREGATE[METRICS[m].aggregation]}(s.${m}) AS ${m}`).join(',\n             ');
    return `
      SELECT (floor(extract(epoch FROM s.collected_at) / $3::int) * $3::int)::bigint AS t,
             ${aggregates}
        FROM ${liveAndArchivedSql('samples', {
          alias: 's',
          project: '$1',
          env: '$2',
          lo: `to_timestamp($4::bigint) - interval '${MAX_COLLECTION_LAG_S} seconds'`,
          hi: 'to_timestamp($5::bigint)',
          where: `s.collected_at >= to_timestamp($4::bigint) AND s.collected_at < to_timestamp($5::bigint)
         AND s.slot_at > to_timestamp($4::bigint) - interval '${MAX_COLLECTION_LAG_S} seconds' AND s.slot_at < to_timestamp($5::bigint) ${phaseFilter}`,
        })} s
       GROUP BY 1`;
  }
  // Buckets of the range whose rollup row is current come from the rollup; minutes still pending (written since
  // the last catch-up: normally the last minute or two) are aggregated from the raw samples, bounded by the range
  // (plan-time partition pruning) and by the pending span (run-time pruning) so the raw read stays small. With the 15-minute level, a quarter that contains a pending minute
  // is read from samples_1m (its settled minutes) plus the raw samples (its pending ones). Every part yields
  // (bucket, n, Σ, max) rows, combined exactly per step.
  const fromRollup = (alias: string) => ROLLUP_AGGREGATE_COLUMNS.map((c) => `${alias}.${c}`).join(', ');
  const rawCols = RAW_ROLLUP_AGGREGATES;
  const minuteOf = MINUTE_OF_SAMPLE;
  const inRange = (col: string) => `${col} >= to_timestamp($4::bigint) AND ${col} < to_timestamp($5::bigint)`;
  const quarters = rollup.widthS === 900;
  // each table read live ∪ archived (closed days), the conditions applied to both parts
  const rows = (table: 'samples' | 'samples_1m' | 'samples_15m', alias: string, lo: string, hi: string, where: string) =>
    liveAndArchivedSql(table, { alias, project: '$1', env: '$2', lo, hi, where: `${where} ${phaseOn(alias)}` });
  const rangeLo = 'to_timestamp($4::bigint)';
  const rangeHi = 'to_timestamp($5::bigint)';
  const parts = quarters
    ? [
        `SELECT q.bucket, ${fromRollup('q')} FROM ${rows('samples_15m', 'q', rangeLo, rangeHi, `${inRange('q.bucket')} AND q.bucket NOT IN (SELECT quarter FROM pending_quarters)`)} q`,
        `SELECT m.bucket, ${fromRollup('m')} FROM ${rows(
          'samples_1m',
          'm',
          '(SELECT lo FROM quarter_span)',
          '(SELECT hi FROM quarter_span)',
          `m.bucket >= (SELECT lo FROM quarter_span) AND m.bucket < (SELECT hi FROM quarter_span)
            AND ${quarterOf('m.bucket')} IN (SELECT quarter FROM pending_quarters)
            AND m.bucket NOT IN (SELECT minute FROM pending)`,
        )} m`,
      ]
    : [
        `SELECT m.bucket, ${fromRollup('m')} FROM ${rows('samples_1m', 'm', rangeLo, rangeHi, `${inRange('m.bucket')} AND m.bucket NOT IN (SELECT minute FROM pending)`)} m`,
      ];
  const spanLo = `(SELECT lo FROM span) - interval '${MAX_COLLECTION_LAG_S} seconds'`;
  parts.push(`SELECT ${minuteOf}, count(*), ${rawCols} FROM ${rows(
    'samples',
    's',
    spanLo, // no pending minute: NULL bounds, so no archive row is read
    '(SELECT hi FROM span)',
    `${inRange('s.collected_at')}
            AND s.slot_at > to_timestamp($4::bigint) - interval '${MAX_COLLECTION_LAG_S} seconds' AND s.slot_at < to_timestamp($5::bigint)
            AND s.collected_at >= (SELECT lo FROM span) AND s.collected_at < (SELECT hi FROM span)
            AND s.slot_at > ${spanLo} AND s.slot_at < (SELECT hi FROM span)
            AND ${minuteOf} IN (SELECT minute FROM pending)`,
  )} s
          GROUP BY 1`);
  const aggregates = METRIC_NAMES.map((m) =>
    METRICS[m].aggregation === 'max' ? `max(u.${m}_max) AS ${m}` : `sum(u.${m}_sum) / sum(u.n) AS ${m}`,
  ).join(',\n             ');
  return `
      WITH pending AS (
        SELECT DISTINCT p.minute FROM samples_rollup_pending p WHERE ${inRange('p.minute')}
      ), span AS (
        SELECT min(minute) AS lo, max(minute) + interval '60 seconds' AS hi FROM pending
      ), pending_quarters AS (
        SELECT DISTINCT ${quarterOf('minute')} AS quarter FROM pending
      ), quarter_span AS (
        SELECT min(quarter) AS lo, max(quarter) + interval '15 minutes' AS hi FROM pending_quarters
      ), parts (bucket, ${ROLLUP_AGGREGATE_COLUMNS.join(', ')}) AS (
        ${parts.join('\n        UNION ALL\n        ')}
      )
      SELECT (floor(date_part('epoch', u.bucket) / $3::int) * $3::int)::bigint AS t, -- whole minutes: float8 is exact
             ${aggregates}
        FROM parts u
       GROUP BY 1`;
}

/** Exported for the unit tests and the benchmark's EXPLAIN. */
export function buildTimeseriesSql(projectId: string, req: BucketRange, rollup: Rollup | null = null): { sql: string; params: unknown[] } {
  const start = req.firstBucket;
  const end = req.lastBucket + req.stepS; // exclusive
  const params: unknown[] = [projectId, req.env, req.stepS, start, end];
  const phaseParam = req.phase ? `$${params.push(req.phase)}` : null;
  const sql = `
    WITH agg AS (${aggregationSql(rollup, phaseParam)}
    )
    SELECT array_agg((a.t - $4::bigint) / $3::int ORDER BY a.t)::text AS offsets,
           ${METRIC_NAMES.map((m) => `array_agg(a.${m} ORDER BY a.t)::text AS ${m}`).join(',\n           ')},
           (SELECT coalesce(json_agg(json_build_object(
                     'deployment_id', d.deployment_id, 'env', d.env,
                     'started_at', to_char(d.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                     'finished_at', to_char(d.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                     'result', d.result) ORDER BY d.started_at, d.deployment_id), '[]'::json)
              FROM (SELECT * FROM deployment_windows d
                     WHERE d.project_id = $1 AND d.env = $2
                       AND d.started_at < to_timestamp($5::bigint) AND coalesce(d.finished_at, d.started_at) >= to_timestamp($4::bigint)
                     ORDER BY d.started_at, d.deployment_id LIMIT ${MAX_DEPLOYMENTS}) d
           ) AS deployments
      FROM agg a
     WHERE a.t >= $4::bigint AND a.t < $5::bigint`;
  return { sql, params };
}
