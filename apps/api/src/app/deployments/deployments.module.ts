import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { DeploymentsService } from './deployments.service';
import { DeploymentsController } from './deployments.controller';
import { DeploymentsRepository } from './deployments.repository';

@Module({
  imports: [ProjectsModule],
  providers: [DeploymentsService, DeploymentsRepository],
  controllers: [DeploymentsController],
  exports: [DeploymentsService, DeploymentsRepository],
})
export class DeploymentsModule {}
