import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError } from '../common/api-error';
import type { Principal } from '../auth/principal';
import { ProjectsService } from '../projects/projects.service';
import { DeploymentRow, DeploymentsRepository } from '../deployments/deployments.repository';
import { AccessRecordsService, EnterpriseGateGuard, recordProject } from '../monitoring';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEPLOYMENT = Symbol('seqpulse:deployment');
/** Either scope reads verdicts: a dashboard or integrator (`monitoring:read`), or the CI job that deployed (`deployments:write`). */
const READ_SCOPES = ['monitoring:read', 'deployments:write'] as const;

/**
 * Gate of the routes reading one deployment's impact and verdict (`/deployments/:id…`): scope `monitoring:read`
 * or `deployments:write`, the deployment (404 `deployment_not_found` when unknown or not the caller's, never
 * revealing that it exists), then the Enterprise gate's checks on its project (plan, rollout: 403 with the
 * gate's codes). Every request is recorded as an access to that project.
 */
@Injectable()
export class DeploymentReadGuard implements CanActivate {
  constructor(
    private readonly deployments: DeploymentsRepository,
    private readonly gate: EnterpriseGateGuard,
    private readonly records: AccessRecordsService,
    private readonly projects: ProjectsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { principal?: Principal; [DEPLOYMENT]?: DeploymentRow }>();
    this.records.track(request, http.getResponse<Response>());
    const principal = request.principal;
    if (!principal) throw ApiError.unauthenticated();
    const id = request.params?.id;
    const deployment = typeof id === 'string' && UUID.test(id) ? await this.deployments.findById(id.toLowerCase()) : null;
    // The access record names the project even when the answer is a refusal (the caller learns nothing from it).
    if (deployment) recordProject(request, deployment.project_id);
    if (!READ_SCOPES.some((s) => principal.scopes.has(s))) {
      throw ApiError.insufficientScope(`Reading a verdict needs scope ${READ_SCOPES.join(' or ')}.`);
    }
    if (!deployment || !(await this.projects.isVisible(principal, deployment.project_id))) {
      throw new ApiError(404, 'deployment_not_found', 'Deployment not found.');
    }
    await this.gate.admit(principal, deployment.project_id);
    request[DEPLOYMENT] = deployment;
    return true;
  }
}

/** The deployment the guard loaded and checked. */
export const GatedDeployment = createParamDecorator((_: unknown, ctx: ExecutionContext): DeploymentRow => {
  const deployment = (ctx.switchToHttp().getRequest() as { [DEPLOYMENT]?: DeploymentRow })[DEPLOYMENT];
  if (!deployment) throw new Error('@GatedDeployment() used on a route without DeploymentReadGuard');
  return deployment;
});
