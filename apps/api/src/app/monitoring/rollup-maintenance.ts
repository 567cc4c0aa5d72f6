import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ROLLUPS } from './timeseries.service';

const EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Keeps the rollups (samples_1m, samples_15m) no longer than the raw samples: hourly, in worker processes,
 * deletes the buckets before the day SEQPULSE_RETENTION_DAYS ago (the raw partitions of those days are dropped
 * by the samples maintenance at the same cutoff).
 */
@Injectable()
export class RollupMaintenance implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RollupMaintenance.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    if (!this.config.runsWorker) return;
    this.timer = setInterval(() => void this.prune().catch((err) => this.logger.warn({ err }, 'Rollup pruning failed')), EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async prune(now = new Date()): Promise<number> {
    const cutoff = new Date(Math.floor((now.getTime() - this.config.SEQPULSE_RETENTION_DAYS * DAY_MS) / DAY_MS) * DAY_MS);
    let deleted = 0;
    for (const { table } of ROLLUPS) {
      const [{ exists }] = await this.db.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table]);
      if (!exists) continue;
      const [, count] = await this.db.query(`DELETE FROM ${table} WHERE bucket < $1`, [cutoff]);
      deleted += Number(count) || 0;
    }
    if (deleted) this.logger.log({ deleted, cutoff }, 'Pruned expired rollup buckets');
    return deleted;
  }
}
