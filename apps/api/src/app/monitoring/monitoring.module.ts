import { Module } from '@nestjs/common';
import { OperationalMetricsModule } from '../operational-metrics/operational-metrics.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { EnterpriseGateModule } from './enterprise-gate.module';
import { MonitoringController } from './monitoring.controller';
import { StreamHub } from './stream-hub';
import { StreamGuard } from './stream-guard';
import { RateLimitsModule } from '../rate-limits/rate-limits.module';
import { TimeseriesService } from './timeseries.service';
import { ReadReplicaModule } from '../read-replica/read-replica.module';

/** Realtime monitoring: the Enterprise gate and access records, the timeseries query and the live stream. */
@Module({
  imports: [EnterpriseGateModule, SchedulerModule, RateLimitsModule, OperationalMetricsModule, ReadReplicaModule],
  providers: [TimeseriesService, StreamHub, StreamGuard],
  controllers: [MonitoringController],
  exports: [StreamHub, TimeseriesService],
})
export class MonitoringModule {}
