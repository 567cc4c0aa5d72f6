import { Module } from '@nestjs/common';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { AccountTasks } from './account-tasks';

/** Periodic work on accounts (session purge); AuthService comes from the global AuthModule. */
@Module({ imports: [SchedulerModule], providers: [AccountTasks] })
export class AccountTasksModule {}
