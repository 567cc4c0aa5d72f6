import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectEntity } from '../projects/project.entity';
import { ProjectsModule } from '../projects/projects.module';
import { RolloutModule } from '../rollout/rollout.module';
import { DemoSeeder } from './demo-seeder';

@Module({ imports: [TypeOrmModule.forFeature([ProjectEntity]), ProjectsModule, RolloutModule], providers: [DemoSeeder] })
export class DemoModule {}
