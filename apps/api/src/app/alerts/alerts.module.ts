import { Module } from '@nestjs/common';
import { EnterpriseGateModule } from '../monitoring/enterprise-gate.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { AlertEvaluator } from './alert-evaluator';
import { AlertRuleConstraints } from './alert-rule-constraints';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

/** Built-in alerts: rules and overrides, the set-based evaluator, the lifecycle and the alerts routes. */
@Module({
  imports: [EnterpriseGateModule, NotificationsModule, SchedulerModule],
  providers: [AlertsService, AlertEvaluator, AlertRuleConstraints],
  controllers: [AlertsController],
  exports: [AlertEvaluator, AlertsService],
})
export class AlertsModule {}
