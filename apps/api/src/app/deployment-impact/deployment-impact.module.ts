import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { DeploymentsModule } from '../deployments/deployments.module';
import { AccessTrackingMiddleware, EnterpriseGateModule } from '../monitoring';
import { ProjectsModule } from '../projects/projects.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SamplesModule } from '../samples/samples.module';
import { DeploymentImpactController } from './deployment-impact.controller';
import { DeploymentImpactService } from './deployment-impact.service';
import { DeploymentReadGuard } from './deployment-read.guard';
import { DeploymentVerdictsRepository } from './deployment-verdicts.repository';
import { VerdictWaiters } from './verdict-waiters';

/**
 * Deployment impact and verdicts: the statistics and the rule catalogue, the live recomputation pass, the
 * verdict table, the list/detail/long-poll routes, `deployment` stream events and verdict notifications.
 */
@Module({
  imports: [DeploymentsModule, SamplesModule, MonitoringModule, NotificationsModule, EnterpriseGateModule, ProjectsModule, SchedulerModule],
  providers: [DeploymentImpactService, DeploymentVerdictsRepository, DeploymentReadGuard, VerdictWaiters],
  controllers: [DeploymentImpactController],
  exports: [DeploymentImpactService],
})
export class DeploymentImpactModule implements NestModule {
  /** Refusals before the guard (401 of the global AuthGuard) are access records too, as on every realtime route. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(AccessTrackingMiddleware)
      .forRoutes({ path: 'deployments/:id', method: RequestMethod.GET }, { path: 'deployments/:id/verdict', method: RequestMethod.GET });
  }
}
