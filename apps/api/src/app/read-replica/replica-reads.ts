import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { createQueryPool } from '../database/connections';
import { OperationalMetrics } from '../operational-metrics/operational-metrics';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { ReplicaFreshness } from './replica-freshness';

/** How often each API process measures the replica's replay position (two one-row statements). */
const CHECK_EVERY_MS = 1_000;

/**
 * How long after its own time a row may still be committed: samples are written within about a second of their
 * collection (the store's flush), access records within 250 ms. The margin is generous because it costs
 * nothing: ranges ending in the last 10 s are live views, read from the primary anyway.
 */
export const READ_WRITE_MARGIN_MS = 10_000;

/** The read-heavy routes that may use the replica, as labelled in `seqpulse_db_reads_total`. */
export type ReplicaRoute = 'timeseries' | 'sparklines' | 'audit';

/**
 * Reads from DATABASE_READ_URL with a bounded staleness rule: a read goes to the replica only when the replica
 * has replayed everything the primary had committed until the end of the read's range plus READ_WRITE_MARGIN_MS,
 * so it answers exactly what the primary would (live charts, whose range ends now, always read the primary and
 * never go back in time). A failing replica read is answered by the primary, and the replica gets nothing more
 * until its next successful check.
 */
@Injectable()
export class ReplicaReads implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ReplicaReads.name);
  private readonly pool: Pool | null;
  private readonly freshness = new ReplicaFreshness();

  constructor(
    private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly scheduler: TaskScheduler,
    private readonly metrics: OperationalMetrics,
  ) {
    this.pool = config.DATABASE_READ_URL
      ? createQueryPool(config, { name: 'replica', max: config.DATABASE_READ_POOL_MAX, genericPlans: true, replica: true })
      : null;
    if (!this.pool) return;
    metrics.observePool('replica', this.pool);
    this.pool.on('error', (error) => this.logger.warn({ err: error.message }, 'Read replica connection lost; reconnecting on next use'));
    metrics.gauge('replicaLag', () => {
      const lag = this.freshness.lagMs(Date.now());
      if (lag === null) throw new Error('replica freshness unknown');
      return lag / 1000;
    });
  }

  onModuleInit(): void {
    this.scheduler.register({
      name: 'replica-freshness',
      everyMs: CHECK_EVERY_MS,
      runsIn: 'every',
      enabled: (config) => Boolean(config.DATABASE_READ_URL) && config.runsApi,
      run: () => this.check(),
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
  }

  /** One freshness check: the primary's WAL insert position, then the replica's replay position. */
  async check(): Promise<void> {
    if (!this.pool) return;
    const primaryAskedAt = Date.now();
    const [{ lsn }]: { lsn: string }[] = await this.db.query(`SELECT pg_current_wal_insert_lsn()::text AS lsn`);
    this.freshness.notePrimary(primaryAskedAt, lsn);
    const replicaAskedAt = Date.now();
    try {
      const { rows } = await this.pool.query<{ standby: boolean; replayed: string | null }>(
        `SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed`,
      );
      this.freshness.noteReplica(replicaAskedAt, { standby: rows[0].standby, replayedLsn: rows[0].replayed });
    } catch (error) {
      this.freshness.noteFailure();
      throw error;
    }
  }

  /**
   * Runs `read` on the replica when it holds everything up to `toMs` (epoch ms, the end of the range read), else
   * on the primary (`primary`). A replica failure is answered by the primary.
   */
  async read<T>(
    route: ReplicaRoute,
    toMs: number | undefined,
    onReplica: (pool: Pool) => Promise<T>,
    primary: () => Promise<T>,
  ): Promise<T> {
    if (this.pool && toMs !== undefined && this.freshness.covers(toMs, READ_WRITE_MARGIN_MS)) {
      try {
        const answer = await onReplica(this.pool);
        this.metrics.count('replicaReads', { route, target: 'replica' });
        return answer;
      } catch (error) {
        this.freshness.noteFailure();
        this.logger.warn({ route, err: (error as Error).message }, 'Read replica failed; answered by the primary');
        this.metrics.count('replicaReads', { route, target: 'primary_after_replica_error' });
        return primary();
      }
    }
    if (this.pool) this.metrics.count('replicaReads', { route, target: 'primary' });
    return primary();
  }
}
