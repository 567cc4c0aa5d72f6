import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Scope } from '@seqpulse/contracts';
import { ApiError } from '../common/api-error';
import { ADMIN_ONLY, PUBLIC_ROUTE, REQUIRED_SCOPES, SESSION_ONLY } from './decorators';
import { Credentials, extractCredential } from './credentials';
import { Principal } from './principal';

export { extractCredential } from './credentials';
export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * Global guard: deny by default, then role and scope checks declared on the route. The per-credential request limit
 * runs right after it (RequestLimitGuard, rate-limits/), on the principal left on the request.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly credentials: Credentials,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.authenticate(request);
    request.principal = principal;
    if (this.reflector.getAllAndOverride<boolean>(SESSION_ONLY, targets) && principal.kind !== 'session') {
      throw ApiError.insufficientScope('This action needs a dashboard session; API keys cannot perform it.');
    }
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets)) assertAdmin(principal, request);
    const scopes = this.reflector.getAllAndMerge<Scope[]>(REQUIRED_SCOPES, targets) ?? [];
    const missing = scopes.filter((s) => !principal.scopes.has(s));
    if (missing.length > 0) {
      throw ApiError.insufficientScope(`Missing scope: ${missing.join(', ')}.`);
    }
    return true;
  }

  private async authenticate(request: Request): Promise<Principal> {
    const credential = extractCredential(request);
    if (!credential) throw ApiError.unauthenticated();
    const principal = await this.credentials.authenticate(credential);
    if (!principal) throw ApiError.unauthenticated('Invalid, expired or revoked credentials.');
    return principal;
  }
}

/**
 * Role `admin` and, for a key, the `admin` scope. A key limited to projects stays limited here: it may only act on
 * one of its projects (`/admin/projects/:id/…` or `?project_id=`), never on what spans every project.
 */
function assertAdmin(principal: Principal, request: Request): void {
  if (principal.role !== 'admin' || !principal.scopes.has('admin')) {
    throw ApiError.insufficientScope('This action is reserved to administrators.');
  }
  if (principal.projectIds === null) return;
  const routePath = String((request.route as { path?: unknown } | undefined)?.path ?? '');
  const target =
    typeof request.query?.project_id === 'string'
      ? request.query.project_id
      : routePath.includes('projects/:id')
        ? request.params?.id
        : undefined;
  if (!target || !principal.projectIds.includes(target.toLowerCase())) {
    throw ApiError.insufficientScope('This key is limited to some projects; this administrative action reaches beyond them.');
  }
}
