import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsUUID } from 'class-validator';
import { ROLLOUT_STAGES } from '@seqpulse/contracts';
import type { RolloutStage, RolloutView } from '@seqpulse/contracts';
import { ApiErrors } from '../common/openapi';
import { AdminOnly, CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { RolloutService } from './rollout.service';

export class RolloutDto {
  @ApiProperty({
    enum: ROLLOUT_STAGES,
    description: '`pilot`: only listed Enterprise projects are monitored; `general`: every Enterprise project.',
  })
  @IsIn(ROLLOUT_STAGES)
  stage!: RolloutStage;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  pilot_project_ids!: string[];
}

@ApiTags('admin')
@ApiBearerAuth()
@AdminOnly()
@Controller('admin/rollout')
export class RolloutController {
  constructor(private readonly rollout: RolloutService) {}

  @Get()
  @ApiOperation({ summary: 'The Realtime rollout stage and pilot list.' })
  @ApiOkResponse({ type: RolloutDto })
  @ApiErrors(401, 403)
  get(): Promise<RolloutView> {
    return this.rollout.get();
  }

  @Put()
  @ApiOperation({ summary: 'Set the stage and the pilot list (replaces the list). Takes effect within one poll interval.' })
  @ApiOkResponse({ type: RolloutDto })
  @ApiErrors(400, 401, 403)
  set(@Body() body: RolloutDto, @CurrentPrincipal() principal: Principal): Promise<RolloutView> {
    return this.rollout.set(body.stage, body.pilot_project_ids, principal.userId);
  }
}
