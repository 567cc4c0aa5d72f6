import { Module } from '@nestjs/common';
import { OperationalMetricsModule } from '../operational-metrics/operational-metrics.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { ReplicaReads } from './replica-reads';

/** DATABASE_READ_URL: the replica's freshness, measured every second, and the reads it may answer. */
@Module({
  imports: [SchedulerModule, OperationalMetricsModule],
  providers: [ReplicaReads],
  exports: [ReplicaReads],
})
export class ReadReplicaModule {}
