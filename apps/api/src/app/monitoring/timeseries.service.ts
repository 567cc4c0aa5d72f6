import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { METRIC_NAMES, METRICS } from '@seqpulse/contracts';
import type { DeploymentMarker, StepAggregation, TimeseriesResponse } from '@seqpulse/contracts';
import { isoSeconds } from '../common/time';
import type { TimeseriesRequest } from './timeseries.params';
import { MAX_COLLECTION_LAG_S } from '../samples/samples.store';

/** SQL aggregate of one step for each aggregation the metric catalogue declares. */
const SQL_AGGREGATE: Record<StepAggregation, string> = { mean: 'avg', max: 'max' };
const MAX_DEPLOYMENTS = 1000;

/**
 * One bucket as Postgres returns it: `t` already formatted (`YYYY-MM-DDTHH:MM:SSZ`) and each metric as the text
 * of its float8 (shortest exact digits, valid JSON numbers), so Node neither parses nor re-formats 7,000 values.
 */
export interface Row {
  t: string;
  deployments: DeploymentMarker[] | null;
  [metric: string]: string | null | DeploymentMarker[];
}

/** Postgres float8 text that is a JSON number (not NaN/Infinity, which the validated inputs never produce). */
const JSON_NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/;

/**
 * Rollup levels (migrations SamplesRollups, RollupsAsync, Rollups15m), coarsest first: per project, env, phase and
 * bucket, the count and the sum and max of each metric, recomputed by the worker catch-up once a minute settles.
 */
export const ROLLUPS = [
  { table: 'samples_15m', widthS: 900 },
  { table: 'samples_1m', widthS: 60 },
] as const;
export type Rollup = (typeof ROLLUPS)[number];

/** The coarsest rollup whose width divides the step (exact then), or null for raw samples. */
export function rollupFor(stepS: number, available: boolean): Rollup | null {
  return available ? (ROLLUPS.find((r) => stepS % r.widthS === 0) ?? null) : null;
}

/**
 * The timeseries query: ONE statement per request. `generate_series` lays the epoch-aligned bucket grid, LEFT
 * JOINed with the samples aggregated per bucket in Postgres (so empty buckets come back as NULL), and the
 * deployments of the range ride along on the first row. Steps that are multiples of a rollup width read the
 * exact rollups (Σsum/Σn for means, max of maxes) instead of the raw samples.
 */
@Injectable()
export class TimeseriesService {
  private rollups?: Promise<boolean>;

  constructor(private readonly db: DataSource) {}

  /** The rollup exists when samples is a partitioned table (not a TimescaleDB hypertable). */
  rollupsAvailable(): Promise<boolean> {
    this.rollups ??= this.db
      .query(`SELECT to_regclass('samples_rollup_pending') IS NOT NULL AND to_regclass('samples_15m') IS NOT NULL AS ok`)
      .then(([row]: { ok: boolean }[]) => row.ok)
      .catch((error) => {
        this.rollups = undefined;
        throw error;
      });
    return this.rollups;
  }

  async query(projectId: string, req: TimeseriesRequest): Promise<TimeseriesResponse> {
    return JSON.parse(await this.queryJson(projectId, req));
  }

  /**
   * The response body as JSON text, written straight from the rows: no intermediate point objects (a 24 h
   * at 60 s answer has 7,205 points, and building then stringifying them costs more than the query).
   */
  async queryJson(projectId: string, req: TimeseriesRequest): Promise<string> {
    const { sql, params } = buildTimeseriesSql(projectId, req, rollupFor(req.stepS, await this.rollupsAvailable()));
    const rows: Row[] = await this.db.query(sql, params);
    return renderTimeseries(projectId, req, rows);
  }
}

/** JSON of the response (same bytes as JSON.stringify of the TimeseriesResponse). Exported for the unit tests. */
export function renderTimeseries(projectId: string, req: TimeseriesRequest, rows: Row[]): string {
  const prefixes = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) prefixes[i] = `{"t":"${rows[i].t}","v":`;
  const series = METRIC_NAMES.map((m) => {
    const parts = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) parts[i] = prefixes[i] + jsonNumber(rows[i][m] as string | null) + '}';
    return `${JSON.stringify(m)}:[${parts.join(',')}]`;
  });
  const head = JSON.stringify({
    project_id: projectId,
    env: req.env,
    phase: req.phase,
    step: req.step,
    from: isoSeconds(new Date(req.fromMs)),
    to: isoSeconds(new Date(req.toMs)),
  });
  return `${head.slice(0, -1)},"series":{${series.join(',')}},"deployments":${JSON.stringify(rows[0]?.deployments ?? [])}}`;
}

function jsonNumber(v: string | null | undefined): string {
  return typeof v === 'string' && JSON_NUMBER.test(v) ? v : 'null';
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
        FROM samples s
       WHERE s.project_id = $1 AND s.env = $2 ${phaseFilter}
         AND s.collected_at >= to_timestamp($4::bigint) AND s.collected_at < to_timestamp($5::bigint)
         AND s.slot_at > to_timestamp($4::bigint) - interval '${MAX_COLLECTION_LAG_S} seconds' AND s.slot_at < to_timestamp($5::bigint)
       GROUP BY 1`;
  }
  // Buckets of the range whose rollup row is current come from the rollup; minutes still pending (written since
  // the last catch-up: normally the last minute or two) are aggregated from the raw samples, bounded by the range
  // (plan-time partition pruning) and by the pending span (run-time pruning) so the raw read stays small. With the 15-minute level, a quarter that contains a pending minute
  // is read from samples_1m (its settled minutes) plus the raw samples (its pending ones). Every part yields
  // (bucket, n, Σ, max) rows, combined exactly per step.
  const aggCols = ['n', ...METRIC_NAMES.flatMap((m) => [`${m}_sum`, `${m}_max`])];
  const fromRollup = (alias: string) => aggCols.map((c) => `${alias}.${c}`).join(', ');
  const rawCols = METRIC_NAMES.map((m) => `sum(s.${m}), max(s.${m})`).join(', ');
  const minuteOf = `to_timestamp(floor(date_part('epoch', s.collected_at) / 60) * 60)`;
  const quarterOf = (col: string) => `to_timestamp(floor(date_part('epoch', ${col}) / 900) * 900)`;
  const inRange = (col: string) => `${col} >= to_timestamp($4::bigint) AND ${col} < to_timestamp($5::bigint)`;
  const quarters = rollup.widthS === 900;
  const parts = quarters
    ? [
        `SELECT q.bucket, ${fromRollup('q')} FROM samples_15m q
          WHERE q.project_id = $1 AND q.env = $2 ${phaseOn('q')} AND ${inRange('q.bucket')}
            AND q.bucket NOT IN (SELECT quarter FROM pending_quarters)`,
        `SELECT m.bucket, ${fromRollup('m')} FROM samples_1m m
          WHERE m.project_id = $1 AND m.env = $2 ${phaseOn('m')}
            AND m.bucket >= (SELECT lo FROM quarter_span) AND m.bucket < (SELECT hi FROM quarter_span)
            AND ${quarterOf('m.bucket')} IN (SELECT quarter FROM pending_quarters)
            AND m.bucket NOT IN (SELECT minute FROM pending)`,
      ]
    : [
        `SELECT m.bucket, ${fromRollup('m')} FROM samples_1m m
          WHERE m.project_id = $1 AND m.env = $2 ${phaseOn('m')} AND ${inRange('m.bucket')}
            AND m.bucket NOT IN (SELECT minute FROM pending)`,
      ];
  parts.push(`SELECT ${minuteOf}, count(*), ${rawCols} FROM samples s
          WHERE s.project_id = $1 AND s.env = $2 ${phaseFilter}
            AND ${inRange('s.collected_at')}
            AND s.slot_at > to_timestamp($4::bigint) - interval '${MAX_COLLECTION_LAG_S} seconds' AND s.slot_at < to_timestamp($5::bigint)
            AND s.collected_at >= (SELECT lo FROM span) AND s.collected_at < (SELECT hi FROM span)
            AND s.slot_at > (SELECT lo FROM span) - interval '${MAX_COLLECTION_LAG_S} seconds' AND s.slot_at < (SELECT hi FROM span)
            AND ${minuteOf} IN (SELECT minute FROM pending)
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
      ), parts (bucket, ${aggCols.join(', ')}) AS (
        ${parts.join('\n        UNION ALL\n        ')}
      )
      SELECT (floor(date_part('epoch', u.bucket) / $3::int) * $3::int)::bigint AS t, -- whole minutes: float8 is exact
             ${aggregates}
        FROM parts u
       GROUP BY 1`;
}

/** Exported for the unit tests and the benchmark's EXPLAIN. */
export function buildTimeseriesSql(projectId: string, req: TimeseriesRequest, rollup: Rollup | null = null): { sql: string; params: unknown[] } {
  const start = req.firstBucket;
  const end = req.lastBucket + req.stepS; // exclusive
  const params: unknown[] = [projectId, req.env, req.stepS, start, end];
  const phaseParam = req.phase ? `$${params.push(req.phase)}` : null;
  const sql = `
    WITH agg AS (${aggregationSql(rollup, phaseParam)}
    )
    SELECT to_char(to_timestamp(g.t) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS t,
           ${METRIC_NAMES.map((m) => `a.${m}::text AS ${m}`).join(', ')},
           CASE WHEN g.t = $4::bigint THEN (
             SELECT coalesce(json_agg(json_build_object(
                      'deployment_id', d.id, 'env', d.env,
                      'started_at', to_char(d.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                      'finished_at', to_char(d.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                      'result', d.result) ORDER BY d.started_at, d.id), '[]'::json)
               FROM (SELECT * FROM deployments d
                      WHERE d.project_id = $1 AND d.env = $2
                        AND d.started_at < to_timestamp($5::bigint) AND coalesce(d.finished_at, d.started_at) >= to_timestamp($4::bigint)
                      ORDER BY d.started_at, d.id LIMIT ${MAX_DEPLOYMENTS}) d
           ) END AS deployments
      FROM generate_series($4::bigint, $5::bigint - $3::bigint, $3::bigint) AS g(t)
      LEFT JOIN agg a ON a.t = g.t
     ORDER BY g.t`;
  return { sql, params };
}
