import { Module } from '@nestjs/common';
import { OperationalMetricsModule } from '../operational-metrics/operational-metrics.module';
import { ProjectsModule } from '../projects/projects.module';
import { SamplesModule } from '../samples/samples.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { TargetAddressModule } from '../target-address/target-address.module';
import { CollectionFailuresController } from './collection-failures.controller';
import { CollectionTasks } from './collection-tasks';
import { Collector } from './collector';
import { FailureLog } from './failure-log';
import { JobQueue } from './job-queue';
import { TargetDirectory } from './target-directory';

/** Realtime collection: the poll jobs (`jobs`), the poller, the failures per project, and their periodic work. */
@Module({
  imports: [ProjectsModule, SamplesModule, SchedulerModule, TargetAddressModule, OperationalMetricsModule],
  providers: [JobQueue, Collector, FailureLog, TargetDirectory, CollectionTasks],
  controllers: [CollectionFailuresController],
  exports: [JobQueue, FailureLog],
})
export class CollectionModule {}
