import { Allow } from 'class-validator';
import { PHASES } from '@seqpulse/contracts';
import type { Phase } from '@seqpulse/contracts';
import { QueryParam, QueryParams, invalidParam, oneOf } from '../common/query-params';

/** The query of `GET /monitoring/enterprise/stream`, checked by the global validation pipe. */
export class StreamQuery extends QueryParams {
  /** Checked by the Enterprise gate before the pipe runs. */
  @Allow() project_id!: string;
  @QueryParam() env?: string;
  @QueryParam(oneOf(PHASES)) phase?: Phase;
}

/** `env` (default: every env of the project) and `phase` (default: both) of the live stream. */
export function resolveStreamFilter(query: StreamQuery, projectEnvs: readonly string[]): { env: string | null; phase: Phase | null } {
  if (query.env !== undefined && !projectEnvs.includes(query.env)) {
    throw invalidParam('env', `is not an environment of this project (${projectEnvs.join(', ')})`);
  }
  return { env: query.env ?? null, phase: query.phase ?? null };
}
