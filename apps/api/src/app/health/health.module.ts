import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { CollectionModule } from '../collection/collection.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { HealthController } from './health.controller';
import { ProcessReadiness } from './readiness';
import { SchedulerHealthController } from './scheduler-health.controller';
import { SchedulerHealthService } from './scheduler-health.service';

/** `/health` and `/health/scheduler`: figures read from the modules that own them. */
@Module({
  imports: [CollectionModule, AlertsModule, SchedulerModule],
  providers: [SchedulerHealthService, ProcessReadiness],
  controllers: [HealthController, SchedulerHealthController],
})
export class HealthModule {}
