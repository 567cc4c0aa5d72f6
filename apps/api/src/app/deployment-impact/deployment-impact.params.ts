import { invalidParam as invalid, parseInstant, unknownParams } from '../common/query-params';

function assertKnownParams(query: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(query).filter((k) => !known.includes(k));
  if (unknown.length) throw unknownParams(unknown);
}

export const DEPLOYMENT_LIST_PARAMS = ['project_id', 'env', 'from', 'to', 'limit'] as const;
export const DEFAULT_LIST_RANGE_S = 86_400;
const MAX_LIST_RANGE_S = 90 * 86_400;
export const MAX_WAIT_S = 600;

export interface DeploymentListQuery {
  env: string | null;
  from: Date;
  to: Date;
  limit: number;
}

export function parseDeploymentListQuery(
  query: Record<string, unknown>,
  projectEnvs: readonly string[],
  nowMs: number,
): DeploymentListQuery {
  assertKnownParams(query, DEPLOYMENT_LIST_PARAMS);
  let env: string | null = null;
  if (query.env !== undefined) {
    if (!projectEnvs.includes(query.env as string))
      throw invalid('env', `is not an environment of this project (${projectEnvs.join(', ')})`);
    env = query.env as string;
  }
  const to = query.to === undefined ? nowMs : parseInstant('to', query.to);
  const from = query.from === undefined ? to - DEFAULT_LIST_RANGE_S * 1000 : parseInstant('from', query.from);
  if (from >= to) throw invalid('from', 'must be before to');
  if (to - from > MAX_LIST_RANGE_S * 1000) throw invalid('from', `must be at most ${MAX_LIST_RANGE_S / 86_400} days before to`);
  const limit = query.limit === undefined ? 100 : integerIn('limit', query.limit, 1, 500);
  return { env, from: new Date(from), to: new Date(to), limit };
}

/** `wait`: whole seconds 0..600, default 0. */
export function parseWait(query: Record<string, unknown>): number {
  assertKnownParams(query, ['wait']);
  return query.wait === undefined ? 0 : integerIn('wait', query.wait, 0, MAX_WAIT_S);
}

function integerIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'string' || !/^\d{1,6}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw invalid(field, `must be an integer from ${min} to ${max}`);
  }
  return Number(value);
}
