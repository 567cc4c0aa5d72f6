import { Module } from '@nestjs/common';
import { OperationalMetricsModule } from '../operational-metrics/operational-metrics.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { EnterpriseGateModule } from './enterprise-gate.module';
import { MonitoringController } from './monitoring.controller';
import { StreamHub } from './stream-hub';
import { StreamGuard } from './stream-guard';
import { RateLimitsModule } from '../rate-limits/rate-limits.module';
import { TimeseriesService } from './timeseries.service';

/** Realtime monitoring: the Enterprise gate and access records, the timeseries query and the live stream. */
@Module({
  imports: [EnterpriseGateModule, SchedulerModule, RateLimitsModule, OperationalMetricsModule],
  providers: [TimeseriesService, StreamHub, StreamGuard],
  controllers: [MonitoringController],
  exports: [StreamHub, TimeseriesService],
})
export class MonitoringModule {}
