import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { DeploymentImpactModule } from '../deployment-impact/deployment-impact.module';
import { DeploymentsModule } from '../deployments/deployments.module';
import { EnterpriseGateModule } from '../monitoring/enterprise-gate.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { ProjectsModule } from '../projects/projects.module';
import { SamplesModule } from '../samples/samples.module';
import { OverviewController } from './overview.controller';
import { OverviewService } from './overview.service';

/** The overview route: every visible project at a glance, read through the modules that own the data. */
@Module({
  imports: [EnterpriseGateModule, ProjectsModule, MonitoringModule, SamplesModule, AlertsModule, DeploymentsModule, DeploymentImpactModule],
  providers: [OverviewService],
  controllers: [OverviewController],
})
export class OverviewModule {}
