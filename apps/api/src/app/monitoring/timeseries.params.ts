import { MAX_POINTS_PER_SERIES, PHASES, STEP_SECONDS, STEPS, defaultStepFor } from '@seqpulse/contracts';
import type { Phase, Step } from '@seqpulse/contracts';
import { ApiError } from '../common/api-error';
import { assertKnownParams, invalid, parseInstant } from './time-params';

export const TIMESERIES_PARAMS = ['project_id', 'from', 'to', 'step', 'env', 'phase'] as const;
export const DEFAULT_RANGE_S = 3600;
const ENV_NAME = /^[a-z0-9-]{1,32}$/;

/** A validated timeseries request: the bucket grid runs from `firstBucket` to `lastBucket` (epoch seconds). */
export interface TimeseriesRequest {
  env: string;
  phase: Phase | null;
  step: Step;
  stepS: number;
  /** Requested instants (epoch ms), echoed in the response. */
  fromMs: number;
  toMs: number;
  /** Start of the bucket containing `from` / `to` (epoch seconds, multiples of stepS). */
  firstBucket: number;
  lastBucket: number;
  points: number;
}

/**
 * Validates the query of `GET /monitoring/enterprise/timeseries` (everything but `project_id`, which the gate
 * checked). Pure: `nowMs` is the default `to`. Every problem is a 400 with the contract's code.
 */
export function parseTimeseriesQuery(query: Record<string, unknown>, projectEnvs: readonly string[], nowMs: number): TimeseriesRequest {
  assertKnownParams(query, TIMESERIES_PARAMS);

  let env = projectEnvs[0];
  if (query.env !== undefined) {
    const value = query.env as string;
    if (!ENV_NAME.test(value)) throw invalid('env', 'must be an environment name ([a-z0-9-]{1,32})');
    if (!projectEnvs.includes(value)) throw invalid('env', `is not an environment of this project (${projectEnvs.join(', ')})`);
    env = value;
  }

  let phase: Phase | null = null;
  if (query.phase !== undefined) {
    if (!(PHASES as readonly string[]).includes(query.phase as string)) throw invalid('phase', `must be one of ${PHASES.join(', ')}`);
    phase = query.phase as Phase;
  }

  const toMs = query.to === undefined ? nowMs : parseInstant('to', query.to);
  const fromMs = query.from === undefined ? toMs - DEFAULT_RANGE_S * 1000 : parseInstant('from', query.from);
  if (fromMs >= toMs) throw invalid('from', 'must be before to');

  let step: Step;
  if (query.step === undefined) {
    step = defaultStepFor((toMs - fromMs) / 1000);
  } else {
    if (!(STEPS as string[]).includes(query.step as string)) throw invalid('step', `must be one of ${STEPS.join(', ')}`);
    step = query.step as Step;
  }
  const stepS = STEP_SECONDS[step];
  const firstBucket = Math.floor(fromMs / 1000 / stepS) * stepS;
  const lastBucket = Math.floor(toMs / 1000 / stepS) * stepS;
  const points = (lastBucket - firstBucket) / stepS + 1;
  if (points > MAX_POINTS_PER_SERIES) {
    throw new ApiError(
      400,
      'range_too_large',
      `This range at step ${step} gives ${points} points per series; at most ${MAX_POINTS_PER_SERIES} are allowed. Use a larger step or a shorter range.`,
      { points, max_points: MAX_POINTS_PER_SERIES, step },
    );
  }
  return { env, phase, step, stepS, fromMs, toMs, firstBucket, lastBucket, points };
}
