import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { METRIC_NAMES, OVERVIEW_SPARK_MINUTES } from '@seqpulse/contracts';
import type { TimeseriesResponse } from '@seqpulse/contracts';
import { isoSeconds } from '../common/time';
import type { TimeseriesRequest } from './timeseries.dto';
import { buildTimeseriesSql, rollupFor, TIER_STARTS_SQL, TierStarts, TimeseriesRow } from '../samples/timeseries-sql';
import { AppConfig } from '../config/app-config';
import { createQueryPool } from '../database/connections';
import { PreparedStatements } from '../database/prepared-statements';
import { OperationalMetrics } from '../operational-metrics/operational-metrics';
import { ReplicaReads } from '../read-replica/replica-reads';
import {
  buildSparklinesSql,
  emptySpark,
  sparkItems,
  SparkItems,
  sparkJson,
  sparkKey,
  SparklineRow,
  Sparklines,
  toSparklines,
} from '../samples/sparklines-sql';

/** The last minutes of a sparkline, read at every call (older ones are settled and cached). */
const SPARK_RECENT_MINUTES = 2;
const TIER_STARTS_TTL_MS = 60_000;

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
  /** Where each tier's data starts, for the tier choice; retention moves it once a day, so a minute-old value is fine. */
  private starts?: { at: number; value: Promise<TierStarts> };
  /**
   * The timeseries statements run as named prepared statements on a pool of their own whose sessions use generic
   * plans: planning this query (partitions, rollups, pending minutes) cost about as much as running it, so each
   * connection plans each statement shape once. Partitions are still pruned, at executor start-up.
   */
  private readonly pool: Pool;
  private readonly statements: PreparedStatements;
  /** Sparkline minutes that can no longer change, per pair, for the current end minute (see `sparklines`). */
  private settledSparks: { end: number; byPair: Map<string, SparkItems> } = { end: -1, byPair: new Map() };

  constructor(
    private readonly db: DataSource,
    config: AppConfig,
    metrics: OperationalMetrics,
    private readonly replica: ReplicaReads,
  ) {
    // One query per request, a few ms each: DATABASE_READ_POOL_MAX connections (default 4).
    this.pool = createQueryPool(config, { name: 'timeseries', max: config.DATABASE_READ_POOL_MAX, genericPlans: true });
    this.statements = new PreparedStatements(config);
    metrics.observePool('timeseries', this.pool);
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

  private tierStarts(): Promise<TierStarts> {
    if (!this.starts || Date.now() - this.starts.at > TIER_STARTS_TTL_MS) {
      const value = this.db.query(TIER_STARTS_SQL).then(([row]: TierStarts[]) => row);
      value.catch(() => (this.starts = undefined));
      this.starts = { at: Date.now(), value };
    }
    return this.starts.value;
  }

  async query(projectId: string, req: TimeseriesRequest): Promise<TimeseriesResponse> {
    return JSON.parse(await this.queryJson(projectId, req));
  }

  /**
   * The response body as JSON text, written straight from the rows: no intermediate point objects (a 24 h
   * at 60 s answer has 7,205 points, and building then stringifying them costs more than the query).
   */
  async queryJson(projectId: string, req: TimeseriesRequest): Promise<string> {
    const available = await this.rollupsAvailable();
    const coverage = available ? { firstBucket: req.firstBucket, starts: await this.tierStarts() } : undefined;
    const { sql, params } = buildTimeseriesSql(projectId, req, rollupFor(req.stepS, available, coverage));
    const statement = this.statements.statement(sql, params);
    const run = (pool: Pool) => pool.query<TimeseriesRow>(statement);
    const { rows } = await this.replica.read('timeseries', req.toMs, run, () => run(this.pool));
    return renderTimeseries(projectId, req, rows[0]);
  }

  /**
   * The last hour's one-minute sparklines of many (project, env) pairs (see sparklines-sql.ts), per pair as the
   * JSON text of its `spark` object. `endMs` is rounded down to a whole minute; the hour before it is returned.
   * The minutes older than the last two cannot change any more (a sample is stored within 40 s of its slot), so
   * they are computed once per pair and minute and kept, as JSON text, until the minute turns; only the last two
   * minutes are read at every call.
   */
  async sparklines(pairs: { projectId: string; env: string }[], endMs: number): Promise<Map<string, string>> {
    if (pairs.length === 0) return new Map();
    const end = Math.floor(endMs / 60_000) * 60;
    const start = end - OVERVIEW_SPARK_MINUTES * 60;
    const split = end - SPARK_RECENT_MINUTES * 60;
    if (this.settledSparks.end !== end) this.settledSparks = { end, byPair: new Map() };
    const cache = this.settledSparks;
    const missing = pairs.filter((p) => !cache.byPair.has(sparkKey(p.projectId, p.env)));
    const settledMinutes = OVERVIEW_SPARK_MINUTES - SPARK_RECENT_MINUTES;
    const [settled, recent] = await Promise.all([
      missing.length
        ? this.sparklineQuery(missing, start, split, await this.rollupsAvailable(), settledMinutes)
        : Promise.resolve<Sparklines>(new Map()),
      this.sparklineQuery(pairs, split, end, false, SPARK_RECENT_MINUTES),
    ]);
    const emptySettled = sparkItems(emptySpark(settledMinutes));
    for (const p of missing) {
      const key = sparkKey(p.projectId, p.env);
      const spark = settled.get(key);
      cache.byPair.set(key, spark ? sparkItems(spark) : emptySettled);
    }
    const emptyRecent = sparkItems(emptySpark(SPARK_RECENT_MINUTES));
    const out = new Map<string, string>();
    for (const p of pairs) {
      const key = sparkKey(p.projectId, p.env);
      const now = recent.get(key);
      out.set(key, sparkJson(cache.byPair.get(key) ?? emptySettled, now ? sparkItems(now) : emptyRecent));
    }
    return out;
  }

  private async sparklineQuery(
    pairs: { projectId: string; env: string }[],
    fromS: number,
    toS: number,
    rollups: boolean,
    minutes: number,
  ): Promise<Sparklines> {
    const sql = buildSparklinesSql(rollups);
    const statement = this.statements.statement(sql, [`{${pairs.map((p) => p.projectId).join(',')}}`, pairs.map((p) => p.env), fromS, toS]);
    // The settled minutes usually come from the replica, the last two always from the primary (see ReplicaReads).
    const run = (pool: Pool) => pool.query<SparklineRow>(statement);
    const { rows } = await this.replica.read('sparklines', toS * 1000, run, () => run(this.pool));
    return toSparklines(rows, minutes);
  }
}

/** JSON of the response (same bytes as JSON.stringify of the TimeseriesResponse). Exported for the unit tests. */
export function renderTimeseries(projectId: string, req: TimeseriesRequest, row: TimeseriesRow): string {
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

export { buildTimeseriesSql, rollupFor, ROLLUPS } from '../samples/timeseries-sql';
