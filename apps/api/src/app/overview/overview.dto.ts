import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { OVERVIEW_SPARK_MINUTES, PLANS, VERDICTS } from '@seqpulse/contracts';
import type {
  MetricName,
  MetricValues,
  MonitoringStatus,
  OverviewEnv,
  OverviewLastDeployment,
  OverviewProject,
  OverviewResponse,
  Plan,
  Verdict,
} from '@seqpulse/contracts';

class ValuesDto implements MetricValues {
  @ApiProperty({ description: 'requests per second' }) requests_per_sec!: number;
  @ApiProperty({ description: 'milliseconds' }) latency_p95!: number;
  @ApiProperty({ description: 'ratio 0..1' }) error_rate!: number;
  @ApiProperty({ description: 'ratio 0..1' }) cpu_usage!: number;
  @ApiProperty({ description: 'ratio 0..1' }) memory_usage!: number;
}

const SPARK: ApiPropertyOptions = {
  type: 'array',
  items: { type: 'number', nullable: true },
  minItems: OVERVIEW_SPARK_MINUTES,
  maxItems: OVERVIEW_SPARK_MINUTES,
};

class SparkDto implements Record<MetricName, (number | null)[]> {
  @ApiProperty(SPARK) requests_per_sec!: (number | null)[];
  @ApiProperty(SPARK) latency_p95!: (number | null)[];
  @ApiProperty(SPARK) error_rate!: (number | null)[];
  @ApiProperty(SPARK) cpu_usage!: (number | null)[];
  @ApiProperty(SPARK) memory_usage!: (number | null)[];
}

class MonitoringStatusDto implements MonitoringStatus {
  @ApiProperty() enabled!: boolean;
  @ApiPropertyOptional({ enum: ['plan_not_enterprise', 'monitoring_not_enabled'] }) reason?: MonitoringStatus['reason'];
}

class FiringDto {
  @ApiProperty({ description: 'Firing alerts at warning level' }) warning!: number;
  @ApiProperty({ description: 'Firing alerts at critical level' }) critical!: number;
}

class LastDeploymentDto implements OverviewLastDeployment {
  @ApiProperty() deployment_id!: string;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-28T10:12:00Z' }) finished_at!: string | null;
  @ApiProperty({ enum: ['success', 'failed'], nullable: true }) result!: 'success' | 'failed' | null;
  @ApiProperty({
    enum: VERDICTS,
    nullable: true,
    description: 'The verdict as last computed by the verdict pass; null before its first computation',
  })
  verdict!: Verdict | null;
}

class OverviewEnvDto implements OverviewEnv {
  @ApiProperty() env!: string;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-28T10:59:45Z' }) last_sample_at!: string | null;
  @ApiProperty({ type: ValuesDto, nullable: true, description: 'The last sample, in contract units; null before the first sample' })
  values!: ValuesDto | null;
  @ApiProperty({
    type: SparkDto,
    description: `Per metric, ${OVERVIEW_SPARK_MINUTES} one-minute aggregates of the last hour, oldest first (mean; max for latency_p95, as the timeseries route); null for a minute without a sample`,
  })
  spark!: SparkDto;
  @ApiProperty({ type: FiringDto }) firing!: FiringDto;
  @ApiProperty({ type: LastDeploymentDto, nullable: true }) last_deployment!: LastDeploymentDto | null;
}

class OverviewProjectDto implements OverviewProject {
  @ApiProperty() project_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PLANS }) plan!: Plan;
  @ApiProperty({ type: MonitoringStatusDto }) monitoring!: MonitoringStatusDto;
  @ApiProperty({ type: [OverviewEnvDto], description: 'One entry per env; empty when the project has no Realtime (see monitoring)' })
  envs!: OverviewEnvDto[];
}

export class OverviewResponseDto implements OverviewResponse {
  @ApiProperty({ type: [OverviewProjectDto] }) projects!: OverviewProjectDto[];
}
