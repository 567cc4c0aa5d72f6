import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { SamplesStore } from './samples.store';
import { SamplesCompaction } from './samples-compaction';

/** Partitions exist this many days ahead, so a write never waits for DDL. */
const PARTITIONS_AHEAD_DAYS = 7;
const DAY_MS = 86_400_000;
/** Closed days wait COMPACTION_SETTLE_MS anyway; a pass finds nothing to do most of the time. */
const COMPACTION_EVERY_MS = 10 * 60_000;

/**
 * The store's upkeep in worker processes: day partitions ahead (also at start-up), compaction of closed days
 * into the archive, and the tiered retention (raw partitions and archives; the live rollups' is RollupMaintenance's).
 */
@Injectable()
export class SamplesTasks implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly tasks: TaskScheduler,
    private readonly store: SamplesStore,
    private readonly compaction: SamplesCompaction,
  ) {}

  onModuleInit(): void {
    this.tasks.register({
      name: 'sample-partitions',
      everyMs: 60_000,
      runsIn: 'worker',
      runAtStart: true,
      run: () => {
        const now = Date.now();
        return this.store.ensurePartitions(new Date(now - DAY_MS), new Date(now + PARTITIONS_AHEAD_DAYS * DAY_MS));
      },
    });
    this.tasks.register({
      name: 'sample-retention',
      everyMs: 60_000,
      runsIn: 'worker',
      lock: 'samplesRetention',
      run: async () => {
        await this.store.dropExpired(this.config.retention.raw);
        await this.compaction.pruneArchives();
      },
    });
    this.tasks.register({
      name: 'sample-compaction',
      everyMs: COMPACTION_EVERY_MS,
      runsIn: 'worker',
      lock: 'samplesCompaction',
      run: () => this.compaction.compact(),
    });
  }
}
