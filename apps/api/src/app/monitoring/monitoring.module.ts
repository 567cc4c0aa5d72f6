import { Module } from '@nestjs/common';
import { EnterpriseGateModule } from './enterprise-gate.module';

/** Realtime monitoring: the Enterprise gate and access records, the timeseries query and the live stream. */
@Module({
  imports: [EnterpriseGateModule],
})
export class MonitoringModule {}
