import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { METRIC_NAMES, METRICS } from '@seqpulse/contracts';
import type { DeploymentMarker, StepAggregation, TimeseriesResponse } from '@seqpulse/contracts';
import { isoSeconds } from '../common/time';
import type { TimeseriesRequest } from './timeseries.params';

/** SQL aggregate of one step for each aggregation the metric catalogue declares. */
const SQL_AGGREGATE: Record<StepAggregation, string> = { mean: 'avg', max: 'max' };
/** collected_at − slot_at is always in [0, 40 s): the slot_at bound that lets Postgres prune day partitions. */
export const MAX_COLLECTION_LAG_S = 40;
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

/** Rollup tables (see migration SamplesRollups) by bucket width, coarsest first. */
export const ROLLUPS: readonly { table: string; widthS: number }[] = [
  { table: 'samples_15m', widthS: 900 },
  { table: 'samples_1m', widthS: 60 },
];

/** The coarsest rollup whose width divides the step (exact then), or null for raw samples. */
export function rollupFor(stepS: number, available: boolean): { table: string; widthS: number } | null {
  if (!available) return null;
  return ROLLUPS.find((r) => stepS % r.widthS === 0) ?? null;
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

  /** Rollups exist when samples is a partitioned table (not a TimescaleDB hypertable). */
  rollupsAvailable(): Promise<boolean> {
    this.rollups ??= this.db
      .query(`SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'samples_rollup' AND tgrelid = 'samples'::regclass) AS ok`)
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
function aggregationSql(rollup: { table: string } | null, phaseFilter: string): string {
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
  const aggregates = METRIC_NAMES.map((m) =>
    METRICS[m].aggregation === 'max' ? `max(s.${m}_max) AS ${m}` : `sum(s.${m}_sum) / sum(s.n) AS ${m}`,
  ).join(',\n             ');
  return `
      SELECT (floor(date_part('epoch', s.bucket) / $3::int) * $3::int)::bigint AS t, -- buckets are whole seconds: float8 is exact
             ${aggregates}
        FROM ${rollup.table} s
       WHERE s.project_id = $1 AND s.env = $2 ${phaseFilter}
         AND s.bucket >= to_timestamp($4::bigint) AND s.bucket < to_timestamp($5::bigint)
       GROUP BY 1`;
}

/** Exported for the unit tests and the benchmark's EXPLAIN. */
export function buildTimeseriesSql(projectId: string, req: TimeseriesRequest, rollup: { table: string } | null = null): { sql: string; params: unknown[] } {
  const start = req.firstBucket;
  const end = req.lastBucket + req.stepS; // exclusive
  const params: unknown[] = [projectId, req.env, req.stepS, start, end];
  const phaseFilter = req.phase ? `AND s.phase = $${params.push(req.phase)}` : '';
  const sql = `
    WITH agg AS (${aggregationSql(rollup, phaseFilter)}
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
