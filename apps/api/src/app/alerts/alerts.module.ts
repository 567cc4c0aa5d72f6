import { Module } from '@nestjs/common';
import { EnterpriseGateModule } from '../monitoring/enterprise-gate.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SamplesModule } from '../samples/samples.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { AlertEvaluator } from './alert-evaluator';
import { AlertRuleConstraints } from './alert-rule-constraints';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';
import { MaintenanceService } from './muting/maintenance.service';
import { PromptAlertEvaluation } from './prompt-evaluation';
import { MutingController } from './muting/muting.controller';
import { SilencesService } from './muting/silences.service';

/** Built-in alerts: rules and overrides, the set-based evaluator (periodic, and on arriving samples), the lifecycle, silences, maintenance and the alerts routes. */
@Module({
  imports: [EnterpriseGateModule, MonitoringModule, NotificationsModule, SamplesModule, SchedulerModule],
  providers: [AlertsService, AlertEvaluator, PromptAlertEvaluation, AlertRuleConstraints, SilencesService, MaintenanceService],
  controllers: [AlertsController, MutingController],
  exports: [AlertEvaluator, AlertsService],
})
export class AlertsModule {}
