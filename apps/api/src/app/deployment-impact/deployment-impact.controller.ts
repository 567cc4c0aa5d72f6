import { Body, Controller, Get, Put, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { DeploymentDetail, DeploymentListResponse, VerdictResponse } from '@seqpulse/contracts';
import { ApiErrors } from '../common/openapi';
import type { DeploymentRow } from '../deployments/deployments.repository';
import { EnterpriseRoute, GatedProject } from '../monitoring';
import type { ProjectEntity } from '../projects/project.entity';
import { DeploymentImpactService, verdictSettled } from './deployment-impact.service';
import { DeploymentListResponseDto, DeploymentDetailDto, VerdictResponseDto } from './deployment-impact.dto';
import { parseDeploymentListQuery, parseWait, MAX_WAIT_S } from './deployment-impact.params';
import { DeploymentReadGuard, GatedDeployment } from './deployment-read.guard';
import { VerdictWaiters } from './verdict-waiters';
import { CurrentPrincipal } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { PutVerdictSettingsDto, VerdictSettingDto, VerdictSettingsQueryDto, VerdictSettingsResponseDto } from './verdict-settings.dto';

@ApiTags('deployments')
@ApiExtraModels(VerdictSettingDto)
@Controller()
export class DeploymentImpactController {
  constructor(
    private readonly impact: DeploymentImpactService,
    private readonly waiters: VerdictWaiters,
  ) {}

  @Get('monitoring/enterprise/deployments')
  @EnterpriseRoute()
  @ApiOperation({ summary: 'Deployments of a project (one env or all) that started in the range, newest first, with their verdicts.' })
  @ApiQuery({ name: 'env', required: false, description: 'Only this env (default: every env of the project)' })
  @ApiQuery({ name: 'from', required: false, description: 'ISO-8601 or Unix seconds; default: `to` − 24 hours' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO-8601 or Unix seconds; default: now' })
  @ApiQuery({ name: 'limit', required: false, description: '1..500, default 100' })
  @ApiOkResponse({ type: DeploymentListResponseDto })
  async list(@GatedProject() project: ProjectEntity, @Query() query: Record<string, unknown>): Promise<DeploymentListResponse> {
    const q = parseDeploymentListQuery(query, project.envs, Date.now());
    return { deployments: await this.impact.list(project.id, q.env, q.from, q.to, q.limit) };
  }

  @Get('monitoring/enterprise/verdict-rules')
  @EnterpriseRoute()
  @ApiOperation({
    summary: 'The verdict settings of a project: absolute limits, warning margin, minimum post samples (defaults and overrides).',
  })
  @ApiOkResponse({ type: VerdictSettingsResponseDto })
  getSettings(@GatedProject() project: ProjectEntity, @Query() query: VerdictSettingsQueryDto): Promise<VerdictSettingsResponseDto> {
    void query; // validated only: unknown parameters are refused
    return this.impact.settingsView(project.id);
  }

  @Put('monitoring/enterprise/verdict-rules')
  @EnterpriseRoute('alerts:write')
  @ApiOperation({
    summary: 'Replaces the project’s overrides of the verdict settings (absent or null = default); used from the next recomputation.',
  })
  @ApiOkResponse({ type: VerdictSettingsResponseDto })
  async putSettings(
    @GatedProject() project: ProjectEntity,
    @CurrentPrincipal() principal: Principal,
    @Query() query: VerdictSettingsQueryDto,
    @Body() body: PutVerdictSettingsDto,
  ): Promise<VerdictSettingsResponseDto> {
    void query;
    return this.impact.replaceSettings(project.id, body, principal.userId);
  }

  @Get('deployments/:id')
  @UseGuards(DeploymentReadGuard)
  @ApiBearerAuth()
  @ApiSecurity('api-key')
  @ApiOperation({
    summary: 'One deployment with its impact (pre vs post, per metric) and its verdict with the reasons.',
    description:
      'Scope `monitoring:read` or `deployments:write`. The project must be on Realtime (403 `plan_not_enterprise` / `monitoring_not_enabled`); a deployment of a project the caller does not see is 404 `deployment_not_found`.',
  })
  @ApiParam({ name: 'id', description: 'deployment_id' })
  @ApiOkResponse({ type: DeploymentDetailDto })
  @ApiErrors(401, 403, 404)
  detail(@GatedDeployment() deployment: DeploymentRow): Promise<DeploymentDetail> {
    return this.impact.detail(deployment);
  }

  @Get('deployments/:id/verdict')
  @UseGuards(DeploymentReadGuard)
  @ApiBearerAuth()
  @ApiSecurity('api-key')
  @ApiOperation({
    summary: 'The verdict, as a long poll: answered as soon as it is final or `rollback_recommended`, else when `wait` runs out.',
    description:
      'For CI: call after `POST /deployments/finish` and roll back on `rollback_recommended`. Waiting costs the server no CPU (it wakes on a database notification). Same access rules as `GET /deployments/:id`.',
  })
  @ApiParam({ name: 'id', description: 'deployment_id' })
  @ApiQuery({ name: 'wait', required: false, description: `Seconds to wait, 0..${MAX_WAIT_S} (default 0: answer at once)` })
  @ApiOkResponse({ type: VerdictResponseDto })
  @ApiErrors(400, 401, 403, 404)
  async verdict(
    @GatedDeployment() deployment: DeploymentRow,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ): Promise<VerdictResponse> {
    const waitS = parseWait(query);
    let current = await this.impact.verdictResponse(deployment);
    if (waitS === 0 || verdictSettled(current)) return current;
    const gone = new AbortController();
    const onClose = () => gone.abort();
    req.socket.setTimeout(0);
    req.on('close', onClose);
    try {
      await this.waiters.wait(
        deployment.id,
        waitS * 1000,
        async () => {
          // woken by a verdict notice: the stored verdict is the one just announced (one primary-key read)
          const stored = await this.impact.storedResponse(deployment);
          if (!stored || !verdictSettled(stored)) return false;
          current = stored;
          return true;
        },
        gone.signal,
      );
    } finally {
      req.off('close', onClose);
    }
    if (gone.signal.aborted || verdictSettled(current)) return current;
    return this.impact.verdictResponse(deployment);
  }
}
