import { Module } from '@nestjs/common';
import { OperationalMetricsModule } from '../operational-metrics/operational-metrics.module';
import { ProjectsModule } from '../projects/projects.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { TargetAddressModule } from '../target-address/target-address.module';
import { NotificationDispatcher } from './notification-dispatcher';
import { NotificationSender } from './notification-sender';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { VerdictNotifications } from './verdict-notifications';

/** Alert and deployment-verdict notifications: per-project settings, the outbox (webhook, Slack) with retries, the live-stream NOTIFY. */
@Module({
  imports: [ProjectsModule, SchedulerModule, TargetAddressModule, OperationalMetricsModule],
  providers: [NotificationsService, NotificationSender, NotificationDispatcher, VerdictNotifications],
  controllers: [NotificationsController],
  exports: [NotificationsService, NotificationDispatcher, VerdictNotifications],
})
export class NotificationsModule {}
