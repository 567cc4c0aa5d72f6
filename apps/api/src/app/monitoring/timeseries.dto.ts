import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import {
  ENV_NAME_PATTERN,
  MAX_POINTS_PER_SERIES,
  METRIC_NAMES,
  METRICS,
  PHASES,
  STEP_SECONDS,
  STEPS,
  defaultStepFor,
} from '@seqpulse/contracts';
import type { DeploymentMarker, MetricName, Phase, Step, TimeseriesPoint, TimeseriesResponse } from '@seqpulse/contracts';
import { ApiError } from '../common/api-error';
import { QueryParam, QueryParams, instant, invalidParam, oneOf, parseInstant } from '../common/query-params';

const DEFAULT_RANGE_S = 3600;

const envName = (value: string) => (ENV_NAME_PATTERN.test(value) ? null : 'must be an environment name ([a-z0-9-]{1,32})');

/** The query of `GET /monitoring/enterprise/timeseries`, checked by the global validation pipe. */
export class TimeseriesQuery extends QueryParams {
  /** Checked by the Enterprise gate before the pipe runs. */
  @Allow() project_id!: string;
  @QueryParam(instant) from?: string;
  @QueryParam(instant) to?: string;
  @QueryParam(oneOf(STEPS)) step?: Step;
  @QueryParam(envName) env?: string;
  @QueryParam(oneOf(PHASES)) phase?: Phase;
}

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
 * The request a valid query describes for this project: defaults, the env among the project's, the range and its
 * bucket grid. Pure: `nowMs` is the default `to`. Every problem is a 400 with the contract's code.
 */
export function resolveTimeseriesRequest(query: TimeseriesQuery, projectEnvs: readonly string[], nowMs: number): TimeseriesRequest {
  const env = query.env ?? projectEnvs[0];
  if (!projectEnvs.includes(env)) throw invalidParam('env', `is not an environment of this project (${projectEnvs.join(', ')})`);
  const toMs = query.to === undefined ? nowMs : parseInstant('to', query.to);
  const fromMs = query.from === undefined ? toMs - DEFAULT_RANGE_S * 1000 : parseInstant('from', query.from);
  if (fromMs >= toMs) throw invalidParam('from', 'must be before to');

  const step = query.step ?? defaultStepFor((toMs - fromMs) / 1000);
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
  return { env, phase: query.phase ?? null, step, stepS, fromMs, toMs, firstBucket, lastBucket, points };
}

/** The response body (documentation: the service writes the JSON itself, see renderTimeseries). */
/** "mean; max for latency_p95": how each metric is aggregated inside a step, from the catalogue. */
export const STEP_AGGREGATIONS = ['mean', 'max']
  .map((aggregation) => {
    const metrics = METRIC_NAMES.filter((m) => METRICS[m].aggregation === aggregation);
    return metrics.length === METRIC_NAMES.length ? aggregation : metrics.length ? `${aggregation} for ${metrics.join(', ')}` : '';
  })
  .filter(Boolean)
  .join('; ');

export class PointDto implements TimeseriesPoint {
  @ApiProperty({ example: '2026-11-28T10:00:00Z', description: 'Start of the bucket [t, t + step)' }) t!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: `Aggregate of the bucket (${STEP_AGGREGATIONS}); null when the bucket has no sample`,
  })
  v!: number | null;
}

/** One property per metric of the catalogue, documented with its unit. */
class SeriesDto {}
for (const metric of METRIC_NAMES) {
  ApiProperty({ type: [PointDto], description: `${METRICS[metric].label}, ${METRICS[metric].unit}` })(SeriesDto.prototype, metric);
}

class DeploymentMarkerDto implements DeploymentMarker {
  @ApiProperty() deployment_id!: string;
  @ApiProperty() env!: string;
  @ApiProperty({ example: '2026-11-28T10:12:00Z' }) started_at!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) finished_at!: string | null;
  @ApiPropertyOptional({ enum: ['success', 'failed'], nullable: true }) result!: 'success' | 'failed' | null;
}

export class TimeseriesResponseDto implements TimeseriesResponse {
  @ApiProperty() project_id!: string;
  @ApiProperty() env!: string;
  @ApiProperty({ enum: PHASES, nullable: true }) phase!: Phase | null;
  @ApiProperty({ enum: STEPS }) step!: Step;
  @ApiProperty({ example: '2026-11-28T10:00:00Z' }) from!: string;
  @ApiProperty({ example: '2026-11-28T11:00:00Z' }) to!: string;
  @ApiProperty({ type: SeriesDto, description: `One series per metric (${METRIC_NAMES.join(', ')}), same timestamps in each` })
  series!: Record<MetricName, PointDto[]>;
  @ApiProperty({ type: [DeploymentMarkerDto], description: 'Deployments of this env that started or finished in the range' })
  deployments!: DeploymentMarkerDto[];
}
