import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ProjectView, ProjectWithSecret } from '@seqpulse/contracts';
import { ApiErrors } from '../common/openapi';
import { uuidPipe } from '../common/uuid-pipe';
import { AdminOnly, CurrentPrincipal, RequireScopes, SessionOnly } from '../auth/decorators';
import type { Principal } from '../auth/principal';
import { ProjectsService } from './projects.service';
import { CreateProjectDto, ProjectDto, ProjectWithSecretDto, RotateSecretDto, SetPlanDto, UpdateProjectDto } from './projects.dto';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @SessionOnly()
  @ApiOperation({ summary: 'Create a project (plan `free`). With `hmac_enabled`, the secret is in this response only.' })
  @ApiCreatedResponse({ type: ProjectWithSecretDto })
  @ApiErrors(400, 401, 403)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateProjectDto): Promise<ProjectWithSecret> {
    return this.projects.create(principal, body);
  }

  @Get()
  @RequireScopes('monitoring:read')
  @ApiOperation({ summary: 'Your projects (a key limited to projects lists only those). A key needs `monitoring:read`.' })
  @ApiOkResponse({ type: [ProjectDto] })
  @ApiErrors(401, 403)
  list(@CurrentPrincipal() principal: Principal): Promise<ProjectView[]> {
    return this.projects.list(principal);
  }

  @Get(':id')
  @RequireScopes('monitoring:read')
  @ApiOperation({ summary: 'One project, with its monitoring status. A key needs `monitoring:read`.' })
  @ApiOkResponse({ type: ProjectDto })
  @ApiErrors(401, 403, 404)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuidPipe('project')) id: string): Promise<ProjectView> {
    return this.projects.get(principal, id);
  }

  @Patch(':id')
  @SessionOnly()
  @ApiOperation({ summary: 'Change name, envs, endpoint, HMAC or poll interval. Turning HMAC on returns the new secret once.' })
  @ApiOkResponse({ type: ProjectWithSecretDto })
  @ApiErrors(400, 401, 403, 404)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('project')) id: string,
    @Body() body: UpdateProjectDto,
  ): Promise<ProjectWithSecret> {
    return this.projects.update(principal, id, body);
  }

  @Post(':id/hmac-secret')
  @SessionOnly()
  @ApiOperation({
    summary: 'Rotate the HMAC secret (turns HMAC on), to a generated or a given secret; the new secret is in this response only.',
  })
  @ApiCreatedResponse({ type: ProjectWithSecretDto })
  @ApiErrors(400, 401, 403, 404)
  rotateSecret(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe('project')) id: string,
    @Body() body: RotateSecretDto,
  ): Promise<ProjectWithSecret> {
    return this.projects.rotateSecret(principal, id, body.hmac_secret);
  }

  @Delete(':id')
  @SessionOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a project and all its data.' })
  @ApiErrors(401, 403, 404)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', uuidPipe('project')) id: string): Promise<void> {
    return this.projects.remove(principal, id);
  }
}

@ApiTags('admin')
@ApiBearerAuth()
@AdminOnly()
@Controller('admin/projects')
export class AdminProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get()
  @ApiOperation({ summary: 'Every project with its plan, owner and monitoring status.' })
  @ApiOkResponse({ type: [ProjectDto] })
  @ApiErrors(401, 403)
  list(): Promise<ProjectView[]> {
    return this.projects.listAll();
  }

  @Put(':id/plan')
  @ApiOperation({ summary: "Change a project's plan." })
  @ApiOkResponse({ type: ProjectDto })
  @ApiErrors(400, 401, 403, 404)
  setPlan(@Param('id', uuidPipe('project')) id: string, @Body() body: SetPlanDto): Promise<ProjectView> {
    return this.projects.setPlan(id, body.plan);
  }
}
