import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { SamplesModule } from '../samples/samples.module';
import { JobQueue } from '../scheduler/job-queue';
import { SchedulerService } from '../scheduler/scheduler.service';
import { SchedulerHealthController } from '../scheduler/scheduler-health.controller';
import { WorkerIdentity } from '../scheduler/worker-identity';
import { Collector } from './collector';
import { FailureLog } from './failure-log';
import { TargetDirectory } from './target-directory';
import { CollectionFailuresController } from './collection-failures.controller';

/** Realtime collection: the job system, the poller, and what they report. */
@Module({
  imports: [ProjectsModule, SamplesModule],
  providers: [JobQueue, SchedulerService, WorkerIdentity, Collector, FailureLog, TargetDirectory],
  controllers: [SchedulerHealthController, CollectionFailuresController],
  exports: [JobQueue, FailureLog, WorkerIdentity],
})
export class CollectionModule {}
