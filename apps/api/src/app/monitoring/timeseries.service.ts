import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { METRIC_NAMES, METRICS } from '@seqpulse/contracts';
import type { DeploymentMarker, StepAggregation, TimeseriesResponse } from '@seqpulse/contracts';
import { isoSeconds } from '../common/time';
import type { TimeseriesRequest } from './timeseries.dto';
import { MAX_COLLECTION_LAG_S } from '../samples/samples.store';
import { AppConfig } from '../config/app-config';

/** SQL aggregate of one step for each aggregation the metric catalogue declares. */
const SQL_AGGREGATE: Record<StepAggregation, string> = { mean: 'avg', max: 'max' };
const MAX_DEPLOYMENTS = 1000;
/** Connections of the timeseries pool (one query per request, a few ms each). */
const TIMESERIES_POOL_SIZE = 4;

/**
 * The answer as Postgres returns it: ONE row. `offsets` lists the non-empty buckets (bucket index from the first
 * bucket) and each metric the matching values, as the text of float8 arrays (shortest exact digits, valid JSON
 * numbers), so the driver parses neither 1,441 rows nor 7,000 numbers; Node lays them on the bucket grid.
 */
interface Row {
  offsets: string | null;
  deployments: DeploymentMarker[];
  [metric: string]: string | null | DeploymentMarker[];
}

/**
 * Rollup levels (migrations SamplesRollups, RollupsAsync, Rollups15m), coarsest first: per project, env, phase and
 * bucket, the count and the sum and max of each metric, recomputed by the worker catch-up once a minute settles.
 */
const ROLLUPS = [
  { table: 'samples_15m', widthS: 900 },
  { table: 'samples_1m', widthS: 60 },
] as const;
export type Rollup = (typeof ROLLUPS)[number];

/** The coarsest rollup whose width divides the step (exact then), or null for raw samples. */
export function rollupFor(stepS: number, available: boolean): Rollup | null {
  return available ? (ROLLUPS.find((r) => stepS % r.widthS === 0) ?? null) : null;
}

/**
 * The timeseries query: ONE statement per request, ONE row back. Postgres aggregates the samples per
 * epoch-aligned bucket and returns the non-empty buckets as arrays, with the deployments of the range; Node lays
 * them on the bucket grid, where every other bucket is `null`. Steps that are multiples of a rollup width read
 * the exact rollups (Σsum/Σn for means, max of maxes) instead of the raw samples.
 */
@Injectable()
export class TimeseriesService implements OnModuleDestroy {
  private readonly logger = new Logger(TimeseriesService.name);
  private rollups?: Promise<boolean>;
  /**
   * The timeseries statements run as named prepared statements on a pool of their own whose sessions use generic
   * plans: planning this query (partitions, rollups, pending minutes) cost about as much as running it, so each
   * connection plans each statement shape once. Partitions are still pruned, at executor start-up.
   */
  private readonly pool: Pool;
  private readonly statementNames = new Map<string, string>();

  constructor(
    private readonly db: DataSource,
    config: AppConfig,
  ) {
    this.pool = new Pool({
      connectionString: config.DATABASE_URL,
      max: TIMESERIES_POOL_SIZE,
      connectionTimeoutMillis: 5_000,
      application_name: 'seqpulse-timeseries',
      options: '-c plan_cache_mode=force_generic_plan',
    });
    // An idle connection dropped by a database restart: the pool replaces it; without a listener it would crash.
    this.pool.on('error', (error) => this.logger.warn({ err: error.message }, 'Timeseries connection lost; reconnecting on next use'));
  }

  onModuleDestroy(): Promise<void> {
    return this.pool.end();
  }

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
    const { rows } = await this.pool.query<Row>({ name: this.statementName(sql), text: sql, values: params });
    return renderTimeseries(projectId, req, rows[0]);
  }

  /** A few statement shapes exist (rollup level × phase filter); each gets a stable name. */
  private statementName(sql: string): string {
    let name = this.statementNames.get(sql);
    if (!name) this.statementNames.set(sql, (name = `timeseries_${this.statementNames.size + 1}`));
    return name;
  }
}

/** JSON of the response (same bytes as JSON.stringify of the TimeseriesResponse). Exported for the unit tests. */
export function renderTimeseries(projectId: string, req: TimeseriesRequest, row: Row): string {
  // value index of each bucket (-1: empty bucket)
  const valueAt = new Int32Array(req.points).fill(-1);
  arrayItems(row.offsets).forEach((offset, k) => (valueAt[Number(offset)] = k));
  const prefixes = new Array<string>(req.points);
  const iso = gridTimestamps();
  for (let i = 0; i < req.points; i++) prefixes[i] = `{"t":"${iso(req.firstBucket + i * req.stepS)}","v":`;
  const series = METRIC_NAMES.map((m) => {
    const values = arrayItems(row[m] as string | null);
    let text = `${JSON.stringify(m)}:[`;
    for (let i = 0; i < req.points; i++) {
      text += (i ? ',' : '') + prefixes[i] + (valueAt[i] < 0 ? 'null' : jsonNumber(values[valueAt[i]])) + '}';
    }
    return text + ']';
  });
  const head = JSON.stringify({
    project_id: projectId,
    env: req.env,
    phase: req.phase,
    step: req.step,
    from: isoSeconds(new Date(req.fromMs)),
    to: isoSeconds(new Date(req.toMs)),
  });
  return `${head.slice(0, -1)},"series":{${series.join(',')}},"deployments":${JSON.stringify(row.deployments ?? [])}}`;
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

/**
 * `YYYY-MM-DDTHH:MM:SSZ` of epoch seconds, formatting each day once: building 1,441 Dates and ISO strings was
 * the largest cost of rendering a 24 h series.
 */
function gridTimestamps(): (epochS: number) => string {
  let day = NaN;
  let dayText = '';
  return (epochS) => {
    const d = Math.floor(epochS / 86_400);
    if (d !== day) {
      day = d;
      dayText = isoSeconds(new Date(d * 86_400_000)).slice(0, 10);
    }
    const s = epochS - d * 86_400;
    return `${dayText}T${TWO_DIGITS[Math.floor(s / 3600)]}:${TWO_DIGITS[Math.floor(s / 60) % 60]}:${TWO_DIGITS[s % 60]}Z`;
  };
}

/** Items of a Postgres array literal of numbers (`{1.5,2,NULL}`); null (no bucket at all) is empty. */
function arrayItems(literal: string | null | undefined): string[] {
  return literal && literal.length > 2 ? literal.slice(1, -1).split(',') : [];
}

/** Postgres float8 text is a JSON number except NaN, ±Infinity and NULL (never produced from validated samples). */
function jsonNumber(v: string | undefined): string {
  if (v === undefined) return 'null';
  const c = v.charCodeAt(v.charCodeAt(0) === 45 /* - */ ? 1 : 0);
  return c >= 48 && c <= 57 ? v : 'null';
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
export function buildTimeseriesSql(
  projectId: string,
  req: TimeseriesRequest,
  rollup: Rollup | null = null,
): { sql: string; params: unknown[] } {
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
                     'deployment_id', d.id, 'env', d.env,
                     'started_at', to_char(d.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                     'finished_at', to_char(d.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                     'result', d.result) ORDER BY d.started_at, d.id), '[]'::json)
              FROM (SELECT * FROM deployments d
                     WHERE d.project_id = $1 AND d.env = $2
                       AND d.started_at < to_timestamp($5::bigint) AND coalesce(d.finished_at, d.started_at) >= to_timestamp($4::bigint)
                     ORDER BY d.started_at, d.id LIMIT ${MAX_DEPLOYMENTS}) d
           ) AS deployments
      FROM agg a
     WHERE a.t >= $4::bigint AND a.t < $5::bigint`;
  return { sql, params };
}
