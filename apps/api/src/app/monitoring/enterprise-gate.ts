import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiSecurity } from '@nestjs/swagger';
import type { Scope } from '@seqpulse/contracts';
import { RequireScopes } from '../auth/decorators';
import { ApiErrors } from '../common/openapi';
import type { ProjectEntity } from '../projects/project.entity';
import { EnterpriseGateGuard } from './enterprise-gate.guard';
import { GATE_CONTEXT, GateContext } from './gate-context';

/** Route metadata proving a handler sits behind the Enterprise gate (the route-walk test reads it). */
export const ENTERPRISE_GATE = 'seqpulse:enterprise-gate';
/** Every gated route lives under this prefix, and every route under it must be gated. */
export const ENTERPRISE_PREFIX = '/monitoring/enterprise';

/**
 * Puts a route behind the Enterprise gate: scope `monitoring:read` (plus `extraScopes`, e.g. `alerts:write`),
 * then, in the contract's order, the project from `?project_id` (400 when missing or malformed), visibility
 * (404 `project_not_found`), plan (403 `plan_not_enterprise`), rollout (403 `monitoring_not_enabled`).
 * Every request to the route is recorded as an access record with its final status, refusals included.
 *
 * Pass extra scopes here rather than adding `@RequireScopes()` on the same handler: both write the same
 * metadata key and the last one would win.
 */
export function EnterpriseRoute(...extraScopes: Scope[]) {
  return applyDecorators(
    SetMetadata(ENTERPRISE_GATE, true),
    RequireScopes('monitoring:read', ...extraScopes),
    UseGuards(EnterpriseGateGuard),
    ApiBearerAuth(),
    ApiSecurity('api-key'),
    ApiQuery({
      name: 'project_id',
      required: true,
      type: String,
      format: 'uuid',
      description: 'The project (Enterprise plan, in the rollout).',
    }),
    ApiErrors(400, 401, 403, 404),
  );
}

/**
 * Route metadata of a realtime route that serves every project the caller sees at once (the overview): it takes
 * no `project_id`, applies the plan and rollout checks to each project itself and records one access per
 * Enterprise project (the route-walk test reads it).
 */
export const ENTERPRISE_GATE_EACH = 'seqpulse:enterprise-gate-each';

/** A realtime route over all of the caller's projects: scope `monitoring:read`, gated per project by the handler. */
export function EnterpriseEachProjectRoute() {
  return applyDecorators(
    SetMetadata(ENTERPRISE_GATE_EACH, true),
    RequireScopes('monitoring:read'),
    ApiBearerAuth(),
    ApiSecurity('api-key'),
    ApiErrors(401, 403),
  );
}

/** The project the gate loaded and checked (only on `@EnterpriseRoute()` handlers). */
export const GatedProject = createParamDecorator((_: unknown, ctx: ExecutionContext): ProjectEntity => {
  const context = (ctx.switchToHttp().getRequest() as { [GATE_CONTEXT]?: GateContext })[GATE_CONTEXT];
  if (!context) throw new Error('@GatedProject() used on a route without @EnterpriseRoute()');
  return context.project;
});
