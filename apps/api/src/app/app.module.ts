import { DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { loggerParams } from './logging';
import { AuthModule } from './auth/auth.module';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { AccountTasksModule } from './account-tasks/account-tasks.module';
import { ProjectsModule } from './projects/projects.module';
import { RolloutModule } from './rollout/rollout.module';
import { HealthModule } from './health/health.module';
import { DemoModule } from './demo/demo.module';
import { SamplesModule } from './samples/samples.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { AlertsModule } from './alerts/alerts.module';
import { CollectionModule } from './collection/collection.module';
import { DeploymentsModule } from './deployments/deployments.module';
import { DeploymentImpactModule } from './deployment-impact/deployment-impact.module';
import { OperationalMetricsModule } from './operational-metrics/operational-metrics.module';
import { OverviewModule } from './overview/overview.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logStream?: NodeJS.WritableStream): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot(loggerParams(config.LOG_LEVEL, logStream)),
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'auth', ttl: 60_000, limit: config.SEQPULSE_LOGIN_RATE_LIMIT }],
          errorMessage: 'Too many attempts; retry in a minute.',
        }),
        DatabaseModule,
        AuthModule,
        // After AuthModule: its request-limit guard runs after the AuthGuard, on the authenticated principal.
        RateLimitsModule,
        AccountTasksModule,
        RolloutModule,
        ProjectsModule,
        OperationalMetricsModule,
        HealthModule,
        SamplesModule,
        MonitoringModule,
        AlertsModule,
        CollectionModule,
        DeploymentsModule,
        DeploymentImpactModule,
        OverviewModule,
        ...(config.demo ? [DemoModule] : []),
      ],
    };
  }
}
