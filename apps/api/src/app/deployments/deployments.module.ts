import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { DeploymentsService } from './deployments.service';
import { DeploymentsController } from './deployments.controller';

@Module({ imports: [ProjectsModule], providers: [DeploymentsService], controllers: [DeploymentsController], exports: [DeploymentsService] })
export class DeploymentsModule {}
