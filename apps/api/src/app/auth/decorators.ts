import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Scope } from '@seqpulse/contracts';
import type { Principal } from './principal';

export const PUBLIC_ROUTE = 'seqpulse:public';
export const REQUIRED_SCOPES = 'seqpulse:scopes';
export const ADMIN_ONLY = 'seqpulse:admin';
export const SESSION_ONLY = 'seqpulse:session-only';

/** Opts a route out of authentication (everything else is denied by default). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** The caller must hold every listed scope. */
export const RequireScopes = (...scopes: Scope[]) => SetMetadata(REQUIRED_SCOPES, scopes);
/** Role `admin` and, for a key, the `admin` scope. */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);
/** Account and project management: a dashboard session, not an API key. */
export const SessionOnly = () => SetMetadata(SESSION_ONLY, true);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().principal;
});
