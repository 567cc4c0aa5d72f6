import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ADVISORY_LOCKS } from '../database/advisory-locks';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { ROLLUP_CATCH_UP_FUNCTION } from './rollup-sql';
import { OperationalMetrics } from '../operational-metrics/operational-metrics';

const CATCH_UP_EVERY_MS = 5_000;
/** A minute is recomputed once it ended this long ago (later samples re-mark it, so they are not lost). */
const ROLLUP_SETTLE = '90 seconds';
const MINUTES_PER_CALL = 60;
const CALLS_PER_TICK = 50;
const PRUNE_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Worker-side upkeep of the rollups (`samples_1m`, `samples_15m`):
 * - every 5 s, `samples_rollup_catch_up()` recomputes the settled minutes the insert trigger marked pending (and
 *   their quarters)
 *   (one caller at a time across processes: the function takes an advisory lock);
 * - hourly, deletes the live rollup buckets older than their tier's retention (SEQPULSE_RETENTION_1M_DAYS,
 *   SEQPULSE_RETENTION_15M_DAYS; the archived days are pruned by SamplesCompaction).
 */
@Injectable()
export class RollupMaintenance implements OnModuleInit {
  private readonly logger = new Logger(RollupMaintenance.name);
  private running = false;
  private available?: boolean;

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly tasks: TaskScheduler,
    metrics: OperationalMetrics,
  ) {
    metrics.gauge('rollupBacklog', () => this.pendingMinutes());
  }

  /** The catch-up function is derived from the metric catalogue: (re)created at start-up, after the migrations. */
  async onModuleInit(): Promise<void> {
    await this.installCatchUpFunction();
    this.tasks.register({ name: 'rollup-catch-up', everyMs: CATCH_UP_EVERY_MS, runsIn: 'worker', run: () => this.catchUp() });
    this.tasks.register({ name: 'rollup-prune', everyMs: PRUNE_EVERY_MS, runsIn: 'worker', run: () => this.prune() });
  }

  /** Project/env minutes the insert trigger marked and the catch-up has not recomputed yet. */
  async pendingMinutes(): Promise<number> {
    if (!(await this.rollupsExist())) return 0;
    const [{ pending }] = await this.db.query(`SELECT count(*)::int AS pending FROM samples_rollup_pending`);
    return pending;
  }

  private async installCatchUpFunction(): Promise<void> {
    if (!(await this.rollupsExist())) return;
    await this.db.transaction(async (tx) => {
      // Several processes starting together: one replaces the function at a time.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.migrations]);
      await tx.query(ROLLUP_CATCH_UP_FUNCTION);
    });
  }

  private async rollupsExist(): Promise<boolean> {
    if (this.available === undefined) {
      const [{ exists }] = await this.db.query(`SELECT to_regclass('samples_rollup_pending') IS NOT NULL AS exists`);
      this.available = exists;
    }
    return this.available as boolean;
  }

  /** Recomputes settled pending minutes; returns how many (tests call it with settle '0 seconds'). */
  async catchUp(settle = ROLLUP_SETTLE): Promise<number> {
    if (this.running || !(await this.rollupsExist())) return 0;
    this.running = true;
    let total = 0;
    try {
      for (let i = 0; i < CALLS_PER_TICK; i++) {
        const [{ n }] = await this.db.query(`SELECT samples_rollup_catch_up($1, $2::interval) AS n`, [MINUTES_PER_CALL, settle]);
        total += n;
        if (n < MINUTES_PER_CALL) break;
      }
    } finally {
      this.running = false;
    }
    return total;
  }

  /** Deletes the live rollup buckets each tier no longer keeps, and pending minutes whose raw samples are gone. */
  async prune(now = new Date()): Promise<number> {
    if (!(await this.rollupsExist())) return 0;
    const days = this.config.retention;
    const cutoff = (keep: number) => new Date(Math.floor((now.getTime() - keep * DAY_MS) / DAY_MS) * DAY_MS);
    let deleted = 0;
    for (const [table, keep] of [
      ['samples_1m', days.minute],
      ['samples_15m', days.quarter],
    ] as const) {
      const [{ exists }] = await this.db.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table]);
      if (exists) deleted += Number((await this.db.query(`DELETE FROM ${table} WHERE bucket < $1`, [cutoff(keep)]))[1]) || 0;
    }
    // a minute is recomputed from the raw samples: once they are dropped, recomputing would erase its rollup
    await this.db.query(`DELETE FROM samples_rollup_pending WHERE minute < $1`, [cutoff(days.raw)]);
    if (deleted) this.logger.log({ deleted }, 'Pruned expired rollup buckets');
    return deleted;
  }
}
