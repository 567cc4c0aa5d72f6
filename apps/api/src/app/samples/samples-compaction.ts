import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ArchivedTable, ARCHIVED_TABLES, compactionSql } from './archive-sql';
import { SamplesStore } from './samples.store';

const DAY_MS = 86_400_000;
/**
 * A day is compacted once it ended this long ago: samples arrive within 40 s of their slot and the rollup
 * catch-up settles a minute 90 s after it, so two hours leave room for a worker outage's backlog.
 */
export const COMPACTION_SETTLE_MS = 2 * 3_600_000;
/** Series per compaction statement (one transaction each): ~5,760 raw rows per series and day. */
const SERIES_PER_BATCH = 200;

export type CompactionCounts = Record<ArchivedTable['live'], number>;

/**
 * Moves closed days of `samples`, `samples_1m` and `samples_15m` into their columnar archives (archive-sql.ts),
 * and applies the tiered retention to the archives. One transaction per batch of series and day: a crash loses
 * nothing (the batch is either archived or still live, and readers see live ∪ archive), and the next pass
 * resumes with what is still live. A late sample of a compacted day lands in the live table, is served from
 * there at once, and is merged into the day's archive row by the next pass.
 */
@Injectable()
export class SamplesCompaction {
  private readonly logger = new Logger(SamplesCompaction.name);

  constructor(
    private readonly db: DataSource,
    private readonly store: SamplesStore,
    private readonly config: AppConfig,
  ) {}

  /** Compacts every day that ended more than COMPACTION_SETTLE_MS before `now`; returns the live rows moved per table. */
  async compact(now = new Date(), seriesPerBatch = SERIES_PER_BATCH): Promise<CompactionCounts> {
    const moved: CompactionCounts = { samples: 0, samples_1m: 0, samples_15m: 0 };
    if (!(await this.store.isPartitioned())) return moved; // TimescaleDB compresses its own chunks
    const before = startOfUtcDay(now.getTime() - COMPACTION_SETTLE_MS);
    const rollups = await this.exists('samples_rollup_pending');
    for (const table of ARCHIVED_TABLES) {
      if (!(await this.exists(table.archive))) continue;
      for (const day of await this.closedDays(table, before)) {
        if (table.key === 'bucket' && (await this.minutesPending(day))) continue; // its rollups may still change
        moved[table.live] += await this.compactDay(table, day, rollups, seriesPerBatch);
      }
    }
    if (moved.samples || moved.samples_1m || moved.samples_15m) this.logger.log({ moved }, 'Compacted closed days');
    return moved;
  }

  /** Drops the archive rows of the days each tier no longer keeps (the live rows are dropped by their owners' retention). */
  async pruneArchives(now = new Date()): Promise<number> {
    const days = this.config.retention;
    const keep: Record<ArchivedTable['live'], number> = { samples: days.raw, samples_1m: days.minute, samples_15m: days.quarter };
    let deleted = 0;
    for (const table of ARCHIVED_TABLES) {
      if (!(await this.exists(table.archive))) continue;
      const cutoff = new Date(startOfUtcDay(now.getTime() - keep[table.live] * DAY_MS));
      deleted += Number((await this.db.query(`DELETE FROM ${table.archive} WHERE period_start < $1`, [cutoff]))[1]) || 0;
    }
    return deleted;
  }

  /** Days before `before` that still have live rows. */
  private async closedDays(table: ArchivedTable, before: number): Promise<Date[]> {
    if (table.live === 'samples') {
      // the day partitions: an emptied one is truncated, so asking each is cheap
      const days = (await this.store.partitionDays()).filter((day) => day < before);
      const live: Date[] = [];
      for (const day of days) if (await this.hasRows(table, new Date(day))) live.push(new Date(day));
      return live;
    }
    const days: Date[] = [];
    let from = new Date(0);
    for (;;) {
      // the bucket index: the oldest live bucket at or after `from`
      const [{ oldest }] = await this.db.query(`SELECT min(bucket) AS oldest FROM ${table.live} WHERE bucket >= $1 AND bucket < $2`, [
        from,
        new Date(before),
      ]);
      if (!oldest) return days;
      const day = startOfUtcDay((oldest as Date).getTime());
      days.push(new Date(day));
      from = new Date(day + DAY_MS);
    }
  }

  private async compactDay(table: ArchivedTable, day: Date, rollups: boolean, seriesPerBatch: number): Promise<number> {
    const series: { project_id: string; env: string }[] = await this.db.query(
      `SELECT DISTINCT project_id::text, env FROM ${table.live} WHERE ${table.key} >= $1 AND ${table.key} < $1::timestamptz + interval '1 day'`,
      [day],
    );
    const sql = compactionSql(table, rollups);
    let moved = 0;
    for (let i = 0; i < series.length; i += seriesPerBatch) {
      const batch = series.slice(i, i + seriesPerBatch);
      const [row] = await this.db.query(sql, [
        day,
        `{${batch.map((s) => s.project_id).join(',')}}`,
        `{${batch.map((s) => s.env).join(',')}}`,
      ]);
      moved += row.moved;
    }
    if (table.live === 'samples') await this.store.truncateEmptyPartition(day);
    return moved;
  }

  private async hasRows(table: ArchivedTable, day: Date): Promise<boolean> {
    const [{ any }] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM ${table.live} WHERE ${table.key} >= $1 AND ${table.key} < $1::timestamptz + interval '1 day') AS any`,
      [day],
    );
    return any;
  }

  private async minutesPending(day: Date): Promise<boolean> {
    if (!(await this.exists('samples_rollup_pending'))) return false;
    const [{ any }] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM samples_rollup_pending WHERE minute >= $1 AND minute < $1::timestamptz + interval '1 day') AS any`,
      [day],
    );
    return any;
  }

  private async exists(table: string): Promise<boolean> {
    const [{ exists }] = await this.db.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table]);
    return exists;
  }
}

function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}
