import { Global, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { RolloutModule } from '../rollout/rollout.module';
import { AccessRecordsService } from './access-records.service';
import { AccessTrackingMiddleware } from './access-tracking.middleware';
import { AuditController } from './audit.controller';
import { EnterpriseGateGuard } from './enterprise-gate.guard';

/**
 * The Enterprise gate and the access records, reusable by every module serving a realtime route
 * (`@EnterpriseRoute()` / `@GatedProject()`, see docs/api.md "Enterprise gate"). Global, and it re-exports
 * what the guard needs, so a controller in any module can use `@EnterpriseRoute()` without more wiring.
 */
@Global()
@Module({
  imports: [ProjectsModule, RolloutModule],
  providers: [EnterpriseGateGuard, AccessRecordsService, AccessTrackingMiddleware],
  controllers: [AuditController],
  exports: [EnterpriseGateGuard, AccessRecordsService, ProjectsModule, RolloutModule],
})
export class EnterpriseGateModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(AccessTrackingMiddleware).forRoutes({ path: 'monitoring/enterprise/{*path}', method: RequestMethod.ALL });
  }
}
