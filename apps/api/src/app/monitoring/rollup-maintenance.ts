import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';

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
 * - hourly, deletes rollup buckets older than SEQPULSE_RETENTION_DAYS (the raw partitions of those days are
 *   dropped by the samples maintenance at the same cutoff).
 */
@Injectable()
export class RollupMaintenance implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RollupMaintenance.name);
  private timers: NodeJS.Timeout[] = [];
  private running = false;
  private available?: boolean;

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.runsWorker) return;
    const catchUp = setInterval(
      () => void this.catchUp().catch((err) => this.logger.warn({ err }, 'Rollup catch-up failed')),
      CATCH_UP_EVERY_MS,
    );
    const prune = setInterval(() => void this.prune().catch((err) => this.logger.warn({ err }, 'Rollup pruning failed')), PRUNE_EVERY_MS);
    this.timers = [catchUp, prune];
    this.timers.forEach((t) => t.unref());
  }

  onModuleDestroy(): void {
    this.timers.forEach((t) => clearInterval(t));
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

  async prune(now = new Date()): Promise<number> {
    if (!(await this.rollupsExist())) return 0;
    const cutoff = new Date(Math.floor((now.getTime() - this.config.SEQPULSE_RETENTION_DAYS * DAY_MS) / DAY_MS) * DAY_MS);
    let deleted = 0;
    for (const table of ['samples_1m', 'samples_15m']) {
      const [{ exists }] = await this.db.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table]);
      if (exists) deleted += Number((await this.db.query(`DELETE FROM ${table} WHERE bucket < $1`, [cutoff]))[1]) || 0;
    }
    await this.db.query(`DELETE FROM samples_rollup_pending WHERE minute < $1`, [cutoff]);
    if (deleted) this.logger.log({ deleted, cutoff }, 'Pruned expired rollup buckets');
    return deleted;
  }
}
