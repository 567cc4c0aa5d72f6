import { Module } from '@nestjs/common';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { SamplesStore } from './samples.store';
import { SamplesTasks } from './samples-tasks';

/** The time-series store (`samples` and its partitions) and its upkeep. */
@Module({ imports: [SchedulerModule], providers: [SamplesStore, SamplesTasks], exports: [SamplesStore] })
export class SamplesModule {}
