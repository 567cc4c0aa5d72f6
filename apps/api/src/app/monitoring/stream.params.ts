import { PHASES } from '@seqpulse/contracts';
import type { Phase } from '@seqpulse/contracts';
import { assertKnownParams, invalid } from './time-params';

export const STREAM_PARAMS = ['project_id', 'env', 'phase'] as const;

/** `env` (default: every env of the project) and `phase` (default: both) of the live stream. */
export function parseStreamQuery(
  query: Record<string, unknown>,
  projectEnvs: readonly string[],
): { env: string | null; phase: Phase | null } {
  assertKnownParams(query, STREAM_PARAMS);
  let env: string | null = null;
  if (query.env !== undefined) {
    if (!projectEnvs.includes(query.env as string))
      throw invalid('env', `is not an environment of this project (${projectEnvs.join(', ')})`);
    env = query.env as string;
  }
  let phase: Phase | null = null;
  if (query.phase !== undefined) {
    if (!(PHASES as readonly string[]).includes(query.phase as string)) throw invalid('phase', `must be one of ${PHASES.join(', ')}`);
    phase = query.phase as Phase;
  }
  return { env, phase };
}
