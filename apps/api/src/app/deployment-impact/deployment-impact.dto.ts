import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { DEPLOYMENT_RESULTS, METRIC_NAMES, VERDICT_RULE_NAMES, VERDICTS } from '@seqpulse/contracts';
import type {
  DeploymentDetail,
  DeploymentImpact,
  DeploymentListResponse,
  DeploymentResult,
  DeploymentSummary,
  MetricImpact,
  MetricName,
  Verdict,
  VerdictReason,
  VerdictResponse,
  VerdictRuleName,
  VerdictView,
  WindowStats,
} from '@seqpulse/contracts';

export class DeploymentSummaryDto implements DeploymentSummary {
  @ApiProperty() deployment_id!: string;
  @ApiProperty() env!: string;
  @ApiProperty({ type: String, nullable: true }) branch!: string | null;
  @ApiProperty({ type: String, nullable: true }) idempotency_key!: string | null;
  @ApiProperty({ example: '2026-11-28T10:12:00Z' }) started_at!: string;
  @ApiProperty({ type: String, nullable: true }) finished_at!: string | null;
  @ApiProperty({ enum: DEPLOYMENT_RESULTS, nullable: true }) result!: DeploymentResult | null;
  @ApiProperty({ enum: VERDICTS, nullable: true, description: 'null while the deployment runs' }) verdict!: Verdict | null;
  @ApiProperty({ description: 'true once the observation window closed: the verdict no longer changes' }) verdict_final!: boolean;
}

export class DeploymentListResponseDto implements DeploymentListResponse {
  @ApiProperty({ type: [DeploymentSummaryDto], description: 'Newest first' }) deployments!: DeploymentSummaryDto[];
}

class WindowStatsDto implements WindowStats {
  @ApiProperty({ description: 'Samples stored in the window (a gap is not a sample)' }) count!: number;
  @ApiProperty({ type: Number, nullable: true }) mean!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '95th percentile of the samples (linear interpolation)' }) p95!: number | null;
}

class MetricImpactDto implements MetricImpact {
  @ApiProperty({ type: WindowStatsDto }) pre!: WindowStats;
  @ApiProperty({ type: WindowStatsDto }) post!: WindowStats;
  @ApiProperty({ type: Number, nullable: true, description: 'post.mean − pre.mean' }) change_abs!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'change_abs / pre.mean (null when pre.mean is 0 or missing)' })
  change_rel!: number | null;
  @ApiProperty({
    type: Boolean,
    nullable: true,
    description: 'Mann-Whitney U (autocorrelation-corrected, p < 0.001) and a median shift beyond the pre window’s MAD; null: < 5 samples',
  })
  significant!: boolean | null;
  @ApiProperty({ type: Number, nullable: true }) p_value!: number | null;
}

class RangeDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
}

@ApiExtraModels(MetricImpactDto)
class ImpactDto implements DeploymentImpact {
  @ApiProperty({ type: RangeDto, description: 'The observation window’s length before the trigger' }) pre!: RangeDto;
  @ApiProperty({ type: RangeDto, description: 'From the finish to now, or to the end of the observation window' }) post!: RangeDto;
  @ApiProperty({
    type: 'object',
    description: `One entry per metric (${METRIC_NAMES.join(', ')})`,
    additionalProperties: { $ref: getSchemaPath(MetricImpactDto) },
  })
  metrics!: Record<MetricName, MetricImpact>;
}

class VerdictReasonDto implements VerdictReason {
  @ApiProperty({ enum: VERDICT_RULE_NAMES }) rule!: VerdictRuleName;
  @ApiProperty({ enum: METRIC_NAMES, nullable: true }) metric!: MetricName | null;
  @ApiProperty({ type: Number, nullable: true, description: 'What the rule measured (post mean, rise, sample count)' }) value!:
    | number
    | null;
  @ApiProperty({ type: Number, nullable: true, description: 'What it was compared with' }) limit!: number | null;
  @ApiProperty({ enum: ['warning', 'rollback_recommended', 'inconclusive'] }) verdict!: VerdictReason['verdict'];
  @ApiProperty() message!: string;
}

class VerdictViewDto implements VerdictView {
  @ApiProperty({ enum: VERDICTS }) value!: Verdict;
  @ApiProperty() final!: boolean;
  @ApiProperty({ type: [VerdictReasonDto], description: 'Every rule that concluded something, with its numbers' })
  reasons!: VerdictReason[];
  @ApiProperty() computed_at!: string;
}

export class DeploymentDetailDto implements DeploymentDetail {
  @ApiProperty() deployment_id!: string;
  @ApiProperty() project_id!: string;
  @ApiProperty() env!: string;
  @ApiProperty({ type: String, nullable: true }) branch!: string | null;
  @ApiProperty({ type: String, nullable: true }) idempotency_key!: string | null;
  @ApiProperty() started_at!: string;
  @ApiProperty({ type: String, nullable: true }) finished_at!: string | null;
  @ApiProperty({ enum: DEPLOYMENT_RESULTS, nullable: true }) result!: DeploymentResult | null;
  @ApiProperty({ type: String, nullable: true, description: 'finished_at + the project’s observation window' })
  window_ends_at!: string | null;
  @ApiPropertyOptional({ type: ImpactDto, nullable: true, description: 'null while the deployment runs' }) impact!: DeploymentImpact | null;
  @ApiPropertyOptional({ type: VerdictViewDto, nullable: true, description: 'null while the deployment runs' })
  verdict!: VerdictView | null;
}

export class VerdictResponseDto implements VerdictResponse {
  @ApiProperty() deployment_id!: string;
  @ApiProperty({ enum: VERDICTS, nullable: true }) verdict!: Verdict | null;
  @ApiProperty() final!: boolean;
  @ApiProperty({ type: [VerdictReasonDto] }) reasons!: VerdictReason[];
}
