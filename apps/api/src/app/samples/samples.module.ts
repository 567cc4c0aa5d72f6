import { Module } from '@nestjs/common';
import { OperationalMetricsModule } from '../operational-metrics/operational-metrics.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { SamplesStore } from './samples.store';
import { SamplesTasks } from './samples-tasks';
import { RollupMaintenance } from './rollup-maintenance';

/** The time-series store: `samples` (partitions), the rollups `samples_1m` / `samples_15m`, their upkeep and the time-series SQL. */
@Module({
  imports: [SchedulerModule, OperationalMetricsModule],
  providers: [SamplesStore, SamplesTasks, RollupMaintenance],
  exports: [SamplesStore, RollupMaintenance],
})
export class SamplesModule {}
