import { Module } from '@nestjs/common';
import { OperationalMetricsModule } from '../operational-metrics/operational-metrics.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { SamplesStore } from './samples.store';
import { SamplesTasks } from './samples-tasks';
import { RollupMaintenance } from './rollup-maintenance';
import { SamplesCompaction } from './samples-compaction';

/**
 * The time-series store: `samples` (partitions), the rollups `samples_1m` / `samples_15m`, the columnar archive
 * of their closed days, their upkeep and the time-series SQL.
 */
@Module({
  imports: [SchedulerModule, OperationalMetricsModule],
  providers: [SamplesStore, SamplesTasks, RollupMaintenance, SamplesCompaction],
  exports: [SamplesStore, RollupMaintenance, SamplesCompaction],
})
export class SamplesModule {}
