import { Module } from '@nestjs/common';
import { RolloutService } from './rollout.service';
import { RolloutController } from './rollout.controller';

@Module({ providers: [RolloutService], controllers: [RolloutController], exports: [RolloutService] })
export class RolloutModule {}
