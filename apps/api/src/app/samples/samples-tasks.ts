import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { SamplesStore } from './samples.store';

/** Partitions exist this many days ahead, so a write never waits for DDL. */
const PARTITIONS_AHEAD_DAYS = 7;
const DAY_MS = 86_400_000;

/** The store's upkeep in worker processes: day partitions ahead (also at start-up) and retention. */
@Injectable()
export class SamplesTasks implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly tasks: TaskScheduler,
    private readonly store: SamplesStore,
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
      run: () => this.store.dropExpired(this.config.SEQPULSE_RETENTION_DAYS),
    });
  }
}
