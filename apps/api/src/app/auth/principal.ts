import type { Role, Scope } from '@seqpulse/contracts';

/** Who is calling: resolved once per request by AuthGuard. */
export interface Principal {
  kind: 'session' | 'api_key';
  userId: string;
  email: string;
  role: Role;
  scopes: ReadonlySet<Scope>;
  /** A key limited to projects sees only these; `null` = every project the user sees. */
  projectIds: readonly string[] | null;
  apiKeyId: string | null;
  sessionId: string | null;
}

/** What a dashboard session may do: everything but `admin`, which only admins get. */
export function sessionScopes(role: Role): Set<Scope> {
  const scopes = new Set<Scope>(['monitoring:read', 'alerts:write', 'deployments:write']);
  if (role === 'admin') scopes.add('admin');
  return scopes;
}

/** Admins see every project (staff support); members see their own; keys may narrow further. */
export function canSeeProject(principal: Principal, project: { id: string; ownerId: string }): boolean {
  if (principal.projectIds && !principal.projectIds.includes(project.id)) return false;
  return principal.role === 'admin' || project.ownerId === principal.userId;
}
