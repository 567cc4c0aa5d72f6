import { Module } from '@nestjs/common';
import { OperationalMetrics } from './operational-metrics';
import { OperationalMetricsController } from './operational-metrics.controller';

/** `GET /metrics`: the registry every module that records a figure imports explicitly. */
@Module({
  providers: [OperationalMetrics],
  controllers: [OperationalMetricsController],
  exports: [OperationalMetrics],
})
export class OperationalMetricsModule {}
