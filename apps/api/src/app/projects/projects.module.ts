import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { RolloutModule } from '../rollout/rollout.module';
import { TargetAddressModule } from '../target-address/target-address.module';
import { ProjectEntity } from './project.entity';
import { ProjectsService } from './projects.service';
import { AdminProjectsController, ProjectsController } from './projects.controller';
import { SecretBox } from './secret-box';
import { SecretKeyRotation } from './secret-key-rotation';

@Module({
  imports: [TypeOrmModule.forFeature([ProjectEntity]), RolloutModule, TargetAddressModule],
  providers: [ProjectsService, SecretBox, SecretKeyRotation],
  controllers: [ProjectsController, AdminProjectsController],
  exports: [ProjectsService, SecretBox],
})
export class ProjectsModule {}
