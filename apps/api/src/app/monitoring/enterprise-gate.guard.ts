import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/uuid-pipe';
import type { Principal } from '../auth/principal';
import type { ProjectEntity } from '../projects/project.entity';
import { ProjectsService } from '../projects/projects.service';
import { AccessRecordsService } from './access-records.service';
import { GATE_CONTEXT, GateContext } from './gate-context';

/**
 * The Enterprise gate. Runs after the global AuthGuard (authentication and the `monitoring:read` scope), then
 * checks in the contract's order: project, visibility, plan, rollout. The access record is written when the
 * response ends, with its final status (see AccessRecordsService.track).
 */
@Injectable()
export class EnterpriseGateGuard implements CanActivate {
  constructor(
    private readonly projects: ProjectsService,
    private readonly records: AccessRecordsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { principal?: Principal; [GATE_CONTEXT]?: GateContext }>();
    this.records.track(request, http.getResponse<Response>());
    const principal = request.principal;
    if (!principal) throw ApiError.unauthenticated();

    const projectId = parseProjectId(request.query?.project_id);
    request[GATE_CONTEXT] = { project: await this.admit(principal, projectId) };
    return true;
  }

  /**
   * The gate's checks for one project, in the contract's order: visibility (404), plan, rollout (403). Also used
   * by routes that name the project indirectly (a deployment's verdict).
   */
  async admit(principal: Principal, projectId: string): Promise<ProjectEntity> {
    // One round trip for the project and whether Realtime monitors it (the rollout's one rule).
    const { project, monitoring: status } = await this.projects.findVisibleWithMonitoring(principal, projectId);
    if (!status.enabled && status.reason === 'plan_not_enterprise') {
      throw new ApiError(403, 'plan_not_enterprise', 'Realtime monitoring needs the Enterprise plan for this project.');
    }
    if (!status.enabled) {
      throw new ApiError(403, 'monitoring_not_enabled', 'Realtime monitoring is not enabled for this project yet (rollout).');
    }
    return project;
  }
}

/** `project_id` is required and must be one UUID; anything else is a 400 (it can name no project). */
function parseProjectId(value: unknown): string {
  if (value === undefined) {
    throw ApiError.validation('project_id is required.', { fields: [{ field: 'project_id', problems: ['project_id is required'] }] });
  }
  if (!isUuid(value)) {
    throw ApiError.validation('project_id must be a UUID.', { fields: [{ field: 'project_id', problems: ['project_id must be a UUID'] }] });
  }
  return value.toLowerCase();
}
