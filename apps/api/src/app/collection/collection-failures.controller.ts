import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ENV_NAME_PATTERN } from '@seqpulse/contracts';
import { ApiErrors } from '../common/openapi';
import { uuidPipe } from '../common/uuid-pipe';
import { CurrentPrincipal, RequireScopes } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ProjectsService } from '../projects/projects.service';
import { CollectionFailureView, FailureLog } from './failure-log';

class FailuresQuery {
  @IsOptional()
  @Matches(ENV_NAME_PATTERN)
  env?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class CollectionFailuresController {
  constructor(
    private readonly projects: ProjectsService,
    private readonly failures: FailureLog,
  ) {}

  @Get(':id/collection-failures')
  @RequireScopes('monitoring:read')
  @ApiOperation({
    summary:
      'Latest failed polls of a project, newest first, with their reason: timeout, connection_refused, http_status, invalid_payload (metric and value), hmac_rejected, blocked_address, too_large, network_error.',
  })
  @ApiQuery({ name: 'env', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1..500, default 50' })
  @ApiOkResponse({ description: 'Array of {project_id, env, slot_at, at, reason, detail}' })
  @ApiErrors(400, 401, 403, 404)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('project')) id: string,
    @Query() query: FailuresQuery,
  ): Promise<CollectionFailureView[]> {
    await this.projects.findVisible(principal, id);
    return this.failures.recent({ projectId: id, env: query.env, limit: query.limit ?? 50 });
  }
}
