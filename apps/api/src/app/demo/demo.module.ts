import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectEntity } from '../projects/project.entity';
import { ProjectsModule } from '../projects/projects.module';
import { DeploymentImpactModule } from '../deployment-impact/deployment-impact.module';
import { DeploymentsModule } from '../deployments/deployments.module';
import { RolloutModule } from '../rollout/rollout.module';
import { SchedulerModule } from '../scheduler/scheduler.module';
import { DemoSeeder } from './demo-seeder';
import { DemoDeployments } from './demo-deployments';
import { DemoHistory } from './demo-history';
import { SamplesModule } from '../samples/samples.module';
import { AlertsModule } from '../alerts/alerts.module';
import { TargetAddressModule } from '../target-address/target-address.module';

@Module({
  imports: [
    TypeOrmModule.forFeature([ProjectEntity]),
    ProjectsModule,
    RolloutModule,
    SchedulerModule,
    SamplesModule,
    DeploymentsModule,
    DeploymentImpactModule,
    AlertsModule,
    TargetAddressModule,
  ],
  providers: [DemoSeeder, DemoDeployments, DemoHistory],
})
export class DemoModule {}
