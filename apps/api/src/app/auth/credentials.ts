import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { API_KEY_PREFIX } from '@seqpulse/contracts';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuthService } from './auth.service';
import type { Principal } from './principal';

/**
 * The one way to turn a request's credential (session token or API key) into a Principal: the global guard, the
 * optionally-authenticated health routes and the stream re-checks all use it, so they refuse exactly the same things.
 */
@Injectable()
export class Credentials {
  constructor(
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** null: no credential, or one that is unknown, expired, revoked, or whose user is disabled. */
  async authenticate(credential: string | null): Promise<Principal | null> {
    if (!credential) return null;
    return credential.startsWith(API_KEY_PREFIX) ? this.apiKeys.authenticate(credential) : this.auth.authenticateSession(credential);
  }

  /** The request's principal when it carries a valid credential; never throws for a missing one. */
  fromRequest(request: Request): Promise<Principal | null> {
    return this.authenticate(extractCredential(request));
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

/** Full administrator: role and scope `admin`, not narrowed to some projects. */
export function isFullAdmin(principal: Principal | null): boolean {
  return !!principal && principal.role === 'admin' && principal.scopes.has('admin') && principal.projectIds === null;
}
