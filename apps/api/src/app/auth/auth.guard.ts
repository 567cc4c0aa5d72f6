import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Scope } from '@seqpulse/contracts';
import { API_KEY_PREFIX } from '@seqpulse/contracts';
import { ApiError } from '../common/api-error';
import { ADMIN_ONLY, PUBLIC_ROUTE, REQUIRED_SCOPES, SESSION_ONLY } from './decorators';
import { AuthService } from './auth.service';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { Principal } from './principal';

export type AuthenticatedRequest = Request & { principal?: Principal };

/** Global guard: deny by default, then role and scope checks declared on the route. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
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
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets) && (principal.role !== 'admin' || !principal.scopes.has('admin'))) {
      throw ApiError.insufficientScope('This action is reserved to administrators.');
    }
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
    const principal = credential.startsWith(API_KEY_PREFIX)
      ? await this.apiKeys.authenticate(credential)
      : await this.auth.authenticateSession(credential);
    if (!principal) throw ApiError.unauthenticated('Invalid, expired or revoked credentials.');
    return principal;
  }
}

export function extractCredential(request: Request): string | null {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : null;
  }
  const key = request.headers['x-api-key'];
  return typeof key === 'string' && key.length > 0 ? key : null;
}
