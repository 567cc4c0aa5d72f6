import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { POST_OBSERVATION_WINDOW_MIN_DEFAULT } from '@seqpulse/contracts';
import type { FinishDeploymentResponse, TriggerDeploymentResponse } from '@seqpulse/contracts';
import { ApiErrors } from '../common/openapi';
import { CurrentPrincipal, RequireScopes } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { DeploymentsService } from './deployments.service';
import { FinishDeploymentDto, FinishDeploymentResponseDto, TriggerDeploymentDto, TriggerDeploymentResponseDto } from './deployments.dto';

@ApiTags('deployments')
@ApiBearerAuth()
@RequireScopes('deployments:write')
@Controller('deployments')
export class DeploymentsController {
  constructor(private readonly deployments: DeploymentsService) {}

  @Post('trigger')
  @HttpCode(200)
  @ApiOperation({ summary: 'A deployment of an env starts (idempotent on idempotency_key).' })
  @ApiOkResponse({ type: TriggerDeploymentResponseDto })
  @ApiErrors(400, 401, 403, 404)
  trigger(@CurrentPrincipal() principal: Principal, @Body() body: TriggerDeploymentDto): Promise<TriggerDeploymentResponse> {
    return this.deployments.trigger(principal, {
      projectId: body.project_id,
      env: body.env,
      idempotencyKey: body.idempotency_key,
      branch: body.branch,
    });
  }

  @Post('finish')
  @HttpCode(200)
  @ApiOperation({
    summary: `The deployment finished; samples of its env are \`post\` for the observation window (${POST_OBSERVATION_WINDOW_MIN_DEFAULT} min by default).`,
  })
  @ApiOkResponse({ type: FinishDeploymentResponseDto })
  @ApiErrors(400, 401, 403)
  finish(@CurrentPrincipal() principal: Principal, @Body() body: FinishDeploymentDto): Promise<FinishDeploymentResponse> {
    return this.deployments.finish(principal, body.deployment_id, body.result);
  }
}
