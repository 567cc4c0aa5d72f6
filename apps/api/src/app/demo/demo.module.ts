import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectEntity } from '../projects/project.entity';
import { ProjectsModule } from '../projects/projects.module';
import { DeploymentsModule } from '../deployments/deployments.module';
import { RolloutModule } from '../rollout/rollout.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { DemoSeeder } from './demo-seeder';
import { DemoDeployments } from './demo-deployments';

@Module({
  imports: [TypeOrmModule.forFeature([ProjectEntity]), ProjectsModule, RolloutModule, SchedulerModule, DeploymentsModule],
  providers: [DemoSeeder, DemoDeployments],
})
export class DemoModule {}
