import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { RolloutModule } from '../rollout/rollout.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { ReadReplicaModule } from '../read-replica/read-replica.module';
import { AccessRecordsService } from './access-records.service';
import { AccessTrackingMiddleware } from './access-tracking.middleware';
import { AuditController } from './audit.controller';
import { EnterpriseGateGuard } from './enterprise-gate.guard';

/**
 * The Enterprise gate and the access records, for every module serving a realtime route
 * (`@EnterpriseRoute()` / `@GatedProject()`, see docs/api.md "Enterprise gate"). A module with such a route
 * imports this module; it re-exports the modules the guard depends on, since Nest builds a route's guard in the
 * controller's own module.
 */
@Module({
  imports: [ProjectsModule, RolloutModule, SchedulerModule, ReadReplicaModule],
  providers: [EnterpriseGateGuard, AccessRecordsService, AccessTrackingMiddleware],
  controllers: [AuditController],
  exports: [EnterpriseGateGuard, AccessRecordsService, AccessTrackingMiddleware, ProjectsModule, RolloutModule],
})
export class EnterpriseGateModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AccessTrackingMiddleware).forRoutes({ path: 'monitoring/enterprise/{*path}', method: RequestMethod.ALL });
  }
}
