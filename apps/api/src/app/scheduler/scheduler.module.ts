import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { OperationalMetricsModule } from '../operational-metrics/operational-metrics.module';
import { ProcessRegistry } from './process-registry';
import { TaskScheduler } from './task-scheduler';
import { WorkerIdentity } from './worker-identity';

/** Periodic work (`TaskScheduler`), this process's identity, and the registry of worker processes. */
@Module({
  imports: [ScheduleModule.forRoot(), OperationalMetricsModule],
  providers: [TaskScheduler, WorkerIdentity, ProcessRegistry],
  exports: [TaskScheduler, WorkerIdentity, ProcessRegistry],
})
export class SchedulerModule {}
