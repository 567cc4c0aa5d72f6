import { QueryParam, QueryParams, instant, integerIn, invalidParam, parseInstant, uuid } from '../common/query-params';

export const AUDIT_DEFAULT_LIMIT = 100;
export const AUDIT_MAX_LIMIT = 1000;

/** The query of `GET /admin/audit`, checked by the global validation pipe. */
export class AuditQuery extends QueryParams {
  @QueryParam(uuid) project_id?: string;
  @QueryParam(instant) from?: string;
  @QueryParam(instant) to?: string;
  @QueryParam(integerIn(1, AUDIT_MAX_LIMIT)) limit?: string;
}

export interface AuditFilter {
  projectId?: string;
  from?: number;
  to?: number;
  limit: number;
}

/** The records a valid query asks for: instants in epoch ms (inclusive), the default limit. */
export function resolveAuditFilter(query: AuditQuery): AuditFilter {
  const from = query.from === undefined ? undefined : parseInstant('from', query.from);
  const to = query.to === undefined ? undefined : parseInstant('to', query.to);
  if (from !== undefined && to !== undefined && from > to) throw invalidParam('from', 'must not be after to');
  const limit = query.limit === undefined ? AUDIT_DEFAULT_LIMIT : Number(query.limit);
  return { projectId: query.project_id?.toLowerCase(), from, to, limit };
}
