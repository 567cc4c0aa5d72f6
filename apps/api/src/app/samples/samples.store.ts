import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { METRIC_NAMES } from '@seqpulse/contracts';
import type { MetricName, MetricValues, Phase } from '@seqpulse/contracts';
import { OperationalMetrics } from '../operational-metrics/operational-metrics';
import { ADVISORY_LOCKS } from '../database/advisory-locks';
import { AppConfig } from '../config/app-config';
import { PreparedStatements, Statement } from '../database/prepared-statements';
import { liveAndArchivedSql, SAMPLES_ARCHIVE } from './archive-sql';

export interface NewSample {
  projectId: string;
  env: string;
  slotAt: Date;
  collectedAt: Date;
  values: MetricValues;
}

export interface LatestSample {
  projectId: string;
  env: string;
  collectedAt: Date;
  values: MetricValues;
}

export const SAMPLES_CHANNEL = 'seqpulse_samples';
/**
 * A sample is collected within this long after its poll slot (polls fire at the slot, retries end before the
 * next one, intervals are 30 s at most). Range reads bound `slot_at` by it, so day partitions are pruned and the
 * primary key serves them; the store refuses samples outside it, and the job queue expires slots before it.
 */
export const MAX_COLLECTION_LAG_S = 40;

/** A time window of one project/env: samples with `from ≤ collected_at < to`. */
export interface SampleWindow {
  projectId: string;
  env: string;
  from: Date;
  to: Date;
}

/** The samples of one window, one array per metric and their slots (epoch ms), in time order (a gap is simply absent). */
export type WindowSamples = Record<MetricName, number[]> & { slot_ms: number[] };

/** One sample of a series, as `samplesSince` returns it. */
export interface SeriesSample {
  project_id: string;
  env: string;
  slot_ms: number;
  collected_ms: number;
  values: MetricValues;
}

/**
 * Samples of many windows in ONE statement: for each window (LATERAL, so the planner cannot turn it into one hash
 * join over the whole table) a primary-key range scan, slot_at bounded by the collection lag so day partitions
 * are pruned at run time, plus the archive rows of the compacted days it touches, aggregated into one array per
 * metric in time order.
 */
const WINDOWS_SQL = `
  SELECT w.i::int AS i, a.*
    FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::float8[]) WITH ORDINALITY AS w(project_id, env, from_ms, to_ms, i)
    CROSS JOIN LATERAL (
      SELECT ${METRIC_NAMES.map((m) => `array_agg(s.${m} ORDER BY s.slot_at) AS ${m}`).join(', ')},
             array_agg((extract(epoch FROM s.slot_at) * 1000)::float8 ORDER BY s.slot_at) AS slot_ms
        FROM ${liveAndArchivedSql('samples', {
          alias: 's',
          project: 'w.project_id',
          env: 'w.env',
          lo: `to_timestamp(w.from_ms / 1000) - make_interval(secs => ${MAX_COLLECTION_LAG_S})`,
          hi: 'to_timestamp(w.to_ms / 1000)',
          where: `s.slot_at > to_timestamp(w.from_ms / 1000) - make_interval(secs => ${MAX_COLLECTION_LAG_S})
         AND s.slot_at < to_timestamp(w.to_ms / 1000)
         AND s.collected_at >= to_timestamp(w.from_ms / 1000) AND s.collected_at < to_timestamp(w.to_ms / 1000)`,
        })} s
    ) a
   WHERE a.${METRIC_NAMES[0]} IS NOT NULL`;

/**
 * The samples of some series stored in a recent time range, in ONE statement: a range over `collected_at` (the
 * BRIN index; recent rows are physically together) joined with the series list, instead of one index probe per
 * series. What a periodic reader needs to bring its windows up to date.
 */
const SINCE_SQL = `
  SELECT s.project_id, s.env, (extract(epoch FROM s.slot_at) * 1000)::float8 AS slot_ms,
         (extract(epoch FROM s.collected_at) * 1000)::float8 AS collected_ms, ${METRIC_NAMES.map((m) => `s.${m}`).join(', ')}
    FROM samples s
    JOIN unnest($1::uuid[], $2::text[]) AS w(project_id, env) ON w.project_id = s.project_id AND w.env = s.env
   WHERE s.collected_at >= $3 AND s.collected_at < $4
     AND s.slot_at > $3::timestamptz - make_interval(secs => ${MAX_COLLECTION_LAG_S}) AND s.slot_at < $4
   ORDER BY s.slot_at`;

/** The last sample of an archive row `a` (elements are in slot order). */
const LAST_ARCHIVED = [
  `a.period_start + (a.slot_ms[array_upper(a.slot_ms, 1)] + a.lag_ms[array_upper(a.lag_ms, 1)]) * interval '1 millisecond' AS collected_at`,
  ...METRIC_NAMES.map((m) => `a.${m}[array_upper(a.${m}, 1)] AS ${m}`),
].join(', ');

/** Compact NOTIFY form of a sample: [project, env, phase, collected_at ms, ...five values]. */
export type SampleNotice = [string, string, Phase, number, ...number[]];

/**
 * Samples per NOTIFY: Postgres caps a payload at 8,000 bytes and one notice is at most ~260 bytes
 * (uuid, 32-character env, phase, epoch ms, five float8 of up to 24 characters).
 */
const NOTICES_PER_NOTIFY = 25;
const NO_PARTITION = '23514';
const LOCK_NOT_AVAILABLE = '55P03';
/** Statements a large batch is split into (each on its own pool connection), and the smallest part worth it. */
const PARALLEL_WRITES = 2;
const PARALLEL_WRITE_MIN_ROWS = 1_000;

/**
 * ONE statement per batch, so a batch costs one round trip and Node never parses rows back: unnest the columns
 * (sent as array literals: times as epoch ms), label the phase from the deployments' published `deployment_windows`, insert idempotently
 * per poll slot, and announce the rows actually stored on `seqpulse_samples` in chunks, from the same statement
 * (`announce`; a backfill of the past, which no live stream needs, leaves the announcement out).
 */
function insertSql(announce: boolean): string {
  return `
  WITH input AS (
    SELECT u.project_id, u.env, to_timestamp(u.slot_ms / 1000) AS slot_at, to_timestamp(u.collected_ms / 1000) AS collected_at,
           ${METRIC_NAMES.map((m) => `u.${m}`).join(', ')}
      FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::float8[], ${METRIC_NAMES.map((_, i) => `$${i + 5}::float8[]`).join(', ')})
        AS u(project_id, env, slot_ms, collected_ms, ${METRIC_NAMES.join(', ')})
  ), stored AS (
    INSERT INTO samples (project_id, env, phase, slot_at, collected_at, ${METRIC_NAMES.join(', ')})
    SELECT i.project_id, i.env,
           -- the newest deployment finished by then decides (its window ends last: one window length per
           -- project): one backward index probe per row instead of a scan of every past deployment of the env
           CASE WHEN (
             SELECT d.post_until FROM deployment_windows d
              WHERE d.project_id = i.project_id AND d.env = i.env AND d.finished_at <= i.collected_at
              ORDER BY d.finished_at DESC LIMIT 1
           ) > i.collected_at THEN 'post' ELSE 'pre' END,
           i.slot_at, i.collected_at, ${METRIC_NAMES.map((m) => `i.${m}`).join(', ')}
      FROM input i
    ON CONFLICT (project_id, env, slot_at) DO NOTHING
    RETURNING project_id, env, phase, collected_at, ${METRIC_NAMES.join(', ')}
${
  announce
    ? `  ), notices AS (
    SELECT pg_notify('${SAMPLES_CHANNEL}', '[' || string_agg(n.notice, ',') || ']')
      FROM (SELECT json_build_array(s.project_id, s.env, s.phase, (extract(epoch FROM s.collected_at) * 1000)::bigint,
                                    ${METRIC_NAMES.map((m) => `s.${m}`).join(', ')})::text AS notice,
                   (row_number() OVER ()) / ${NOTICES_PER_NOTIFY} AS chunk
              FROM stored s) n
     GROUP BY n.chunk
  )
  SELECT (SELECT count(*) FROM stored)::int AS stored, (SELECT count(*) FROM notices)::int AS notices`
    : `  )
  SELECT (SELECT count(*) FROM stored)::int AS stored`
}`;
}
const INSERT_SQL = insertSql(true);
const INSERT_SILENT_SQL = insertSql(false);

/**
 * The bulk path of a history backfill (the demo's past): the same rows, idempotency and phase as `insertSql`, but
 * the phase comes from ONE join per statement instead of a probe per row: the observation windows of the batch's
 * envs that overlap its time span are merged once into a multirange per env (`range_agg`), and each row is looked up
 * in its env's multirange (a binary search). Same answer as the live path: a sample is `post` when a finished
 * deployment's window `[finished_at, post_until)` contains it (the newest finished deployment decides there; its
 * window ends last, one window length per project). Nothing is announced: no live stream needs the past.
 */
const BACKFILL_SQL = `
  WITH input AS MATERIALIZED (
    SELECT u.project_id, u.env, to_timestamp(u.slot_ms / 1000) AS slot_at, to_timestamp(u.collected_ms / 1000) AS collected_at,
           ${METRIC_NAMES.map((m) => `u.${m}`).join(', ')}
      FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::float8[], ${METRIC_NAMES.map((_, i) => `$${i + 5}::float8[]`).join(', ')})
        AS u(project_id, env, slot_ms, collected_ms, ${METRIC_NAMES.join(', ')})
  ), span AS (
    SELECT min(collected_at) AS lo, max(collected_at) AS hi FROM input
  ), windows AS (
    SELECT d.project_id, d.env, range_agg(tstzrange(d.finished_at, d.post_until, '[)')) AS post
      FROM deployment_windows d, span
     WHERE (d.project_id, d.env) IN (SELECT DISTINCT project_id, env FROM input)
       AND d.finished_at <= span.hi AND d.post_until > span.lo
     GROUP BY d.project_id, d.env
  ), stored AS (
    INSERT INTO samples (project_id, env, phase, slot_at, collected_at, ${METRIC_NAMES.join(', ')})
    SELECT i.project_id, i.env, CASE WHEN w.post @> i.collected_at THEN 'post' ELSE 'pre' END,
           i.slot_at, i.collected_at, ${METRIC_NAMES.map((m) => `i.${m}`).join(', ')}
      FROM input i LEFT JOIN windows w ON w.project_id = i.project_id AND w.env = i.env
    ON CONFLICT (project_id, env, slot_at) DO NOTHING
    RETURNING 1
  )
  SELECT count(*)::int AS stored FROM stored`;

/**
 * The time-series store. Writes are batched (one statement per batch), idempotent per poll slot, label the
 * `phase` in SQL from the deployments table, and announce new rows on `seqpulse_samples` for live streams.
 */
@Injectable()
export class SamplesStore {
  private readonly logger = new Logger(SamplesStore.name);
  private readonly storedListeners = new Set<(batch: readonly NewSample[]) => void>();
  /** The insert runs with every collector flush (twice a second per worker): planned once per connection. */
  private readonly statements: PreparedStatements;

  constructor(
    private readonly db: DataSource,
    private readonly metrics: OperationalMetrics,
    config: AppConfig,
  ) {
    this.statements = new PreparedStatements(config);
  }

  /** Stores a batch; returns how many rows were new (a slot already stored is left as it was). */
  async insertBatch(batch: NewSample[], options: { announce?: boolean } = {}): Promise<number> {
    const announce = options.announce ?? true;
    const stored = await this.write(batch, announce ? INSERT_SQL : INSERT_SILENT_SQL);
    if (announce && stored > 0) for (const listener of this.storedListeners) listener(batch);
    return stored;
  }

  /**
   * Stores a batch as `insertBatch` does, with `alongside` (other modules' statements: the collector's failed polls
   * and slot outcomes) in the same round trip and transaction, so a collector flush is one round trip and one commit
   * instead of one per statement. A batch large enough to be split (a backlog) goes statement by statement. Returns
   * the rows stored.
   */
  async insertBatchWith(batch: NewSample[], alongside: Statement[]): Promise<number> {
    const samples = this.withinCollectionLag(batch);
    if (samples.length === 0 || samples.length >= PARALLEL_WRITE_MIN_ROWS * PARALLEL_WRITES) {
      const stored = await this.insertBatch(samples);
      await this.statements.togetherOnPool(this.db, alongside);
      return stored;
    }
    const [[row]] = await this.withPartitions(samples, () =>
      this.statements.togetherOnPool(this.db, [{ sql: INSERT_SQL, params: this.insertParams(samples) }, ...alongside]),
    );
    const stored = (row as { stored: number }).stored;
    this.metrics.count('samplesWritten', {}, stored);
    if (stored > 0) for (const listener of this.storedListeners) listener(samples);
    return stored;
  }

  /**
   * `listener` is given, in this process, each announced batch this process stored (at least one row new): the
   * alert evaluation of arriving samples follows the writes of its own process, so N workers evaluate
   * each sample once, not N times as they did when each heard every worker's `NOTIFY`. Returns the unsubscribe.
   */
  onStored(listener: (batch: readonly NewSample[]) => void): () => void {
    this.storedListeners.add(listener);
    return () => this.storedListeners.delete(listener);
  }

  /**
   * Stores a backfill of the past (the demo's history, a day of several envs per call): as `insertBatch` without
   * the announcement, with the phase labelled by one join per statement (`BACKFILL_SQL`). Returns how many rows were new.
   */
  async backfillHistory(batch: NewSample[]): Promise<number> {
    return this.write(batch, BACKFILL_SQL);
  }

  private async write(batch: NewSample[], sql: string): Promise<number> {
    const samples = this.withinCollectionLag(batch);
    if (samples.length === 0) return 0;
    const stored = await this.withPartitions(samples, () => this.insert(samples, sql));
    this.metrics.count('samplesWritten', {}, stored);
    return stored;
  }

  /** Runs a write of `samples`; when a day of theirs has no partition yet, creates it and runs the write again. */
  private async withPartitions<T>(samples: NewSample[], write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if ((error as { code?: string }).code !== NO_PARTITION) throw error;
      const times = samples.map((s) => s.slotAt.getTime());
      await this.ensurePartitions(new Date(Math.min(...times)), new Date(Math.max(...times)));
      return write();
    }
  }

  /**
   * A large batch (a backlog flushed after a database outage, a backfill) is split over a few pool connections
   * so Postgres works on it with more than one core. Safe because every write is idempotent per slot: if one part
   * fails, the caller retries the whole batch and the parts already stored are no-ops.
   */
  private async insert(samples: NewSample[], sql: string): Promise<number> {
    if (samples.length < PARALLEL_WRITE_MIN_ROWS * PARALLEL_WRITES) return this.insertStatement(samples, sql);
    const size = Math.ceil(samples.length / PARALLEL_WRITES);
    const parts = Array.from({ length: PARALLEL_WRITES }, (_, i) => samples.slice(i * size, (i + 1) * size));
    const stored = await Promise.all(parts.map((part) => this.insertStatement(part, sql)));
    return stored.reduce((a, b) => a + b, 0);
  }

  private async insertStatement(samples: NewSample[], sql: string): Promise<number> {
    const [row] = await this.statements.rows<{ stored: number }>(this.db, sql, this.insertParams(samples));
    return row.stored;
  }

  /** The insert's parameters: one array literal per column (times as epoch ms). */
  private insertParams(samples: NewSample[]): string[] {
    return [
      labelArrayLiteral(samples.map((s) => s.projectId)),
      labelArrayLiteral(samples.map((s) => s.env)),
      arrayLiteral(samples.map((s) => s.slotAt.getTime())),
      arrayLiteral(samples.map((s) => s.collectedAt.getTime())),
      ...METRIC_NAMES.map((m) => arrayLiteral(samples.map((s) => s.values[m]))),
    ];
  }

  /** The samples of each window (same order as `windows`; an empty window gets empty arrays). */
  async samplesInWindows(windows: readonly SampleWindow[]): Promise<WindowSamples[]> {
    const empty = (): WindowSamples => ({
      ...(Object.fromEntries(METRIC_NAMES.map((m) => [m, [] as number[]])) as Record<MetricName, number[]>),
      slot_ms: [],
    });
    const result = windows.map(empty);
    if (windows.length === 0) return result;
    const rows: ({ i: number } & WindowSamples)[] = await this.db.query(WINDOWS_SQL, [
      labelArrayLiteral(windows.map((w) => w.projectId)),
      labelArrayLiteral(windows.map((w) => w.env)),
      arrayLiteral(windows.map((w) => w.from.getTime())),
      arrayLiteral(windows.map((w) => w.to.getTime())),
    ]);
    for (const row of rows) {
      const target = result[row.i - 1];
      for (const m of METRIC_NAMES) target[m] = row[m];
      target.slot_ms = row.slot_ms;
    }
    return result;
  }

  /** Samples of the given series with `from ≤ collected_at < to`, in slot order. */
  async samplesSince(series: readonly { projectId: string; env: string }[], from: Date, to: Date): Promise<SeriesSample[]> {
    if (series.length === 0) return [];
    const rows: (Omit<SeriesSample, 'values'> & MetricValues)[] = await this.db.query(SINCE_SQL, [
      labelArrayLiteral(series.map((s) => s.projectId)),
      labelArrayLiteral(series.map((s) => s.env)),
      from,
      to,
    ]);
    return rows.map((r) => ({
      project_id: r.project_id,
      env: r.env,
      slot_ms: r.slot_ms,
      collected_ms: r.collected_ms,
      values: Object.fromEntries(METRIC_NAMES.map((m) => [m, r[m]])) as MetricValues,
    }));
  }

  /** A sample outside the lag bound would be invisible to range reads: refused loudly rather than stored. */
  private withinCollectionLag(samples: NewSample[]): NewSample[] {
    const fits = (s: NewSample) => {
      const lag = s.collectedAt.getTime() - s.slotAt.getTime();
      return lag >= 0 && lag < MAX_COLLECTION_LAG_S * 1000;
    };
    if (samples.every(fits)) return samples;
    const refused = samples.filter((s) => !fits(s));
    this.logger.warn(
      {
        refused: refused.length,
        example: { projectId: refused[0].projectId, env: refused[0].env, slotAt: refused[0].slotAt, collectedAt: refused[0].collectedAt },
      },
      `Samples collected outside [slot, slot + ${MAX_COLLECTION_LAG_S} s) are not stored`,
    );
    return samples.filter(fits);
  }

  /**
   * The newest sample of each (project, env), in one statement: one backward probe of the primary key per pair
   * (newest partition first, so it stops at the first row), else the last element of its newest archive row.
   */
  async latestPerEnv(pairs: { projectId: string; env: string }[]): Promise<LatestSample[]> {
    if (pairs.length === 0) return [];
    const rows: ({ project_id: string; env: string; collected_at: Date } & Record<MetricName, number>)[] = await this.db.query(
      `SELECT u.project_id::text, u.env, s.collected_at, ${METRIC_NAMES.map((m) => `s.${m}`).join(', ')}
         FROM unnest($1::uuid[], $2::text[]) AS u(project_id, env)
         LEFT JOIN LATERAL (
           SELECT slot_at, collected_at, ${METRIC_NAMES.join(', ')} FROM samples
            WHERE project_id = u.project_id AND env = u.env
            ORDER BY slot_at DESC LIMIT 1) l ON true
         -- the newest archived hour, only if it may hold a later sample (a series silent since a compacted day):
         -- normally an index probe that finds nothing, so no array is read
         LEFT JOIN LATERAL (
           SELECT ${LAST_ARCHIVED} FROM ${SAMPLES_ARCHIVE.archive} a
            WHERE a.project_id = u.project_id AND a.env = u.env AND a.period_start > coalesce(l.slot_at, '-infinity') - interval '1 hour'
            ORDER BY a.period_start DESC LIMIT 1) ar ON true
         CROSS JOIN LATERAL (
           SELECT * FROM (SELECT l.collected_at, ${METRIC_NAMES.map((m) => `l.${m}`).join(', ')}
                          UNION ALL SELECT ar.*) x
            WHERE x.collected_at IS NOT NULL ORDER BY x.collected_at DESC LIMIT 1) s`,
      [labelArrayLiteral(pairs.map((p) => p.projectId)), labelArrayLiteral(pairs.map((p) => p.env))],
    );
    return rows.map((r) => ({
      projectId: r.project_id,
      env: r.env,
      collectedAt: r.collected_at,
      values: Object.fromEntries(METRIC_NAMES.map((m) => [m, r[m]])) as MetricValues,
    }));
  }

  /** Creates the daily partitions covering [from, to] (no-op on a hypertable). */
  async ensurePartitions(from: Date, to: Date): Promise<void> {
    if (!(await this.isPartitioned())) return;
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.samplePartitions]); // two processes creating the same partition
      for (let day = startOfUtcDay(from); day <= to.getTime(); day += 86_400_000) {
        const name = partitionName(day);
        await tx.query(
          `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF samples FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + 86_400_000).toISOString()}')`,
        );
      }
    });
  }

  /** Drops whole partitions (or chunks) older than the retention: cheap, no row-by-row delete. */
  async dropExpired(retentionDays: number, now = new Date()): Promise<string[]> {
    const cutoff = new Date(startOfUtcDay(new Date(now.getTime() - retentionDays * 86_400_000)));
    if (!(await this.isPartitioned())) {
      const dropped: { drop_chunks: string }[] = await this.db.query(`SELECT drop_chunks('samples', older_than => $1::timestamptz)`, [
        cutoff,
      ]);
      return dropped.map((d) => d.drop_chunks);
    }
    const expired = (await this.partitionDays()).filter((day) => day + 86_400_000 <= cutoff.getTime()).map(partitionName);
    for (const name of expired) await this.db.query(`DROP TABLE IF EXISTS ${name}`);
    if (expired.length) this.logger.log({ dropped: expired }, 'Dropped expired sample partitions');
    return expired;
  }

  /** The day (epoch ms) of every day partition of `samples`, in order. */
  async partitionDays(): Promise<number[]> {
    const partitions: { name: string }[] = await this.db.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'samples'`,
    );
    return partitions
      .map((p) => p.name)
      .filter((name) => /^samples_\d{8}$/.test(name))
      .map(partitionDay)
      .sort((a, b) => a - b);
  }

  /**
   * Frees the files of a day partition whose rows have all been archived (TRUNCATE: instant, where deleted rows
   * would wait for a vacuum). The partition stays, so a late sample of that day is still stored; a partition
   * that received one meanwhile is left alone (the next compaction pass archives it). The lock is waited for a
   * short while only: a partition busy with reads is truncated at the next pass.
   */
  async truncateEmptyPartition(day: Date): Promise<boolean> {
    const name = partitionName(day.getTime());
    return this.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL lock_timeout = '2s'`);
      const [{ exists }] = await tx.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [name]);
      if (!exists) return false;
      try {
        await tx.query(`LOCK TABLE ${name} IN ACCESS EXCLUSIVE MODE`);
      } catch (error) {
        if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return false;
        throw error;
      }
      const [{ empty }] = await tx.query(`SELECT NOT EXISTS (SELECT 1 FROM ${name}) AS empty`);
      if (empty) await tx.query(`TRUNCATE ${name}`);
      return empty;
    });
  }

  async isPartitioned(): Promise<boolean> {
    const [row] = await this.db.query(`SELECT relkind FROM pg_class WHERE relname = 'samples' AND relnamespace = 'public'::regnamespace`);
    return row?.relkind === 'p';
  }
}

function startOfUtcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function partitionName(day: number): string {
  return `samples_${new Date(day).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

function partitionDay(name: string): number {
  const d = name.slice(-8);
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(4, 6)) - 1, Number(d.slice(6, 8)));
}

/**
 * A Postgres array literal of finite numbers. Building it here is much cheaper than the driver's generic array
 * serialisation (Date objects above all) for batches of thousands.
 */
function arrayLiteral(items: number[]): string {
  return `{${items.join(',')}}`;
}

/** Same for uuids and env names ([a-z0-9-]), which need no quoting; anything else is a bug upstream. */
function labelArrayLiteral(items: string[]): string {
  const joined = items.join(',');
  if (!/^[0-9a-z,-]*$/.test(joined)) throw new Error('Sample labels must be uuids and env names');
  return `{${joined}}`;
}
