import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { Allow } from 'class-validator';
import { QueryParam, QueryParams, instant, integerIn, oneOf } from '../common/query-params';
import {
  ALERT_LEVELS,
  ALERT_RESOLUTION_REASONS,
  ALERT_RULE_SETTINGS,
  ALERT_RULES,
  ENV_NAME_PATTERN,
  MAX_ENVS_BY_PLAN,
  thresholdUnitsDescription,
} from '@seqpulse/contracts';
import type { AlertLevel, AlertRuleName, WindowAggregation } from '@seqpulse/contracts';

const THRESHOLD_DESCRIPTION = `Per rule: ${thresholdUnitsDescription()}.`;
const MAX_RULE_ENTRIES = ALERT_RULES.length * (1 + Math.max(...Object.values(MAX_ENVS_BY_PLAN)));

const envName = (value: string) => (ENV_NAME_PATTERN.test(value) ? null : 'must match [a-z0-9-]{1,32}');

/** The query of `GET /monitoring/enterprise/alerts` (the gate checks `project_id` first). */
export class AlertsQueryDto extends QueryParams {
  @ApiProperty({ format: 'uuid' })
  @Allow()
  project_id!: string;

  @ApiPropertyOptional({ enum: ['firing', 'resolved'] })
  @QueryParam(oneOf(['firing', 'resolved']))
  state?: 'firing' | 'resolved';

  @ApiPropertyOptional({
    description: 'ISO-8601 or Unix seconds: alerts still open at or after this instant (`resolved_at >= from` or firing).',
  })
  @QueryParam(instant)
  from?: string;

  @ApiPropertyOptional({ description: 'ISO-8601 or Unix seconds: alerts started at or before this instant.' })
  @QueryParam(instant)
  to?: string;

  @ApiPropertyOptional({ description: 'Only this env.' })
  @QueryParam(envName)
  env?: string;

  @ApiPropertyOptional({ default: 500, minimum: 1, maximum: 1000, description: 'Newest first; at most this many.' })
  @QueryParam(integerIn(1, 1000))
  limit?: string;
}

/** The query of `GET|PUT /monitoring/enterprise/alert-rules` (the gate checks `project_id`). */
export class AlertRulesQueryDto extends QueryParams {
  @ApiProperty({ format: 'uuid' })
  @Allow()
  project_id!: string;
}

export class AlertDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ALERT_RULES }) rule!: AlertRuleName;
  @ApiProperty() env!: string;
  @ApiProperty({ enum: ['firing', 'resolved'] }) state!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The value that crossed: the 5-min mean (threshold rules) or the minutes without a sample (`no_data`).',
  })
  value!: number | null;
  @ApiProperty({ description: "Threshold in the metric's unit (ratio, ms) or minutes for `no_data`." }) threshold!: number;
  @ApiProperty({ example: '2026-11-28T10:15:00Z' }) started_at!: string;
  @ApiProperty({ type: String, nullable: true }) resolved_at!: string | null;
  @ApiPropertyOptional({ enum: ALERT_RESOLUTION_REASONS, nullable: true }) resolution_reason?: string | null;
  @ApiPropertyOptional({ enum: ALERT_LEVELS, description: 'Present when `warning`; absent = `critical`.' }) level?: AlertLevel;
  @ApiPropertyOptional({ description: 'Present (true) while a silence or maintenance window covers the alert.' }) silenced?: boolean;
}

export class RecoveryDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Resolve (or step down) a critical alert only past this; default the threshold.',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  critical?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: 'Resolve a warning alert only past this; default the warning threshold.',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  warning?: number | null;
}

export class AlertRuleDto {
  @ApiProperty({ enum: ALERT_RULES }) rule!: AlertRuleName;
  @ApiProperty({ type: String, nullable: true, description: 'null = the project-wide rule; otherwise an override for that env.' }) env!:
    | string
    | null;
  @ApiProperty({
    description: THRESHOLD_DESCRIPTION,
  })
  threshold!: number;
  @ApiProperty() enabled!: boolean;
  @ApiPropertyOptional({ description: 'Present only when set.' }) warning?: number;
  @ApiPropertyOptional({ type: RecoveryDto, description: 'Present only when set.' }) recovery?: RecoveryDto;
  @ApiPropertyOptional({ description: 'Present only when set.' }) window_min?: number;
  @ApiPropertyOptional({ enum: ALERT_RULE_SETTINGS.aggregations, description: 'Present only when set.' }) aggregation?: WindowAggregation;
  @ApiPropertyOptional({ description: 'Present only when set.' }) min_samples?: number;
}

export class AlertRulesDto {
  @ApiProperty() project_id!: string;
  @ApiProperty({ type: [AlertRuleDto] }) rules!: AlertRuleDto[];
}

export class AlertRuleUpdateDto {
  @ApiProperty({ enum: ALERT_RULES })
  @IsIn(ALERT_RULES)
  rule!: AlertRuleName;

  @ApiPropertyOptional({ type: String, nullable: true, description: "Absent/null = project-wide; otherwise one of the project's envs." })
  @IsOptional()
  @IsString()
  @Matches(ENV_NAME_PATTERN, { message: 'env must match [a-z0-9-]{1,32}' })
  env?: string | null;

  @ApiProperty({
    description: THRESHOLD_DESCRIPTION,
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  threshold!: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      'Warning threshold, crossed before `threshold` (the critical one); null = no warning level. 400 `warning_wrong_side` otherwise.',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  warning?: number | null;

  @ApiPropertyOptional({
    type: RecoveryDto,
    nullable: true,
    description: 'Hysteresis per level; each on the non-firing side of its threshold (400 `recovery_wrong_side`).',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecoveryDto)
  recovery?: RecoveryDto | null;

  @ApiPropertyOptional({ minimum: ALERT_RULE_SETTINGS.windowMin.min, maximum: ALERT_RULE_SETTINGS.windowMin.max, default: 5 })
  @IsOptional()
  @IsInt()
  @Min(ALERT_RULE_SETTINGS.windowMin.min)
  @Max(ALERT_RULE_SETTINGS.windowMin.max)
  window_min?: number;

  @ApiPropertyOptional({ enum: ALERT_RULE_SETTINGS.aggregations, default: 'mean' })
  @IsOptional()
  @IsIn(ALERT_RULE_SETTINGS.aggregations)
  aggregation?: WindowAggregation;

  @ApiPropertyOptional({ minimum: ALERT_RULE_SETTINGS.minSamples.min, maximum: ALERT_RULE_SETTINGS.minSamples.max, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(ALERT_RULE_SETTINGS.minSamples.min)
  @Max(ALERT_RULE_SETTINGS.minSamples.max)
  min_samples?: number;
}

export class PutAlertRulesDto {
  @ApiProperty({
    type: [AlertRuleUpdateDto],
    description: 'The whole rule set: a project-wide rule not listed goes back to its default, an env override not listed is removed.',
  })
  @IsArray()
  @ArrayMaxSize(MAX_RULE_ENTRIES)
  @ValidateNested({ each: true })
  @Type(() => AlertRuleUpdateDto)
  rules!: AlertRuleUpdateDto[];
}

/** The query of `GET /monitoring/enterprise/alert-history`: the filters of the alerts list, plus rule and level. */
export class AlertHistoryQueryDto extends AlertsQueryDto {
  @ApiPropertyOptional({ enum: ALERT_RULES })
  @QueryParam(oneOf(ALERT_RULES))
  rule?: AlertRuleName;

  @ApiPropertyOptional({ enum: ALERT_LEVELS, description: 'The level the alert is at (or resolved at).' })
  @QueryParam(oneOf(ALERT_LEVELS))
  level?: AlertLevel;
}

class AlertTimelineEntryDto {
  @ApiProperty() at!: string;
  @ApiProperty({ enum: ['opened', 'escalated', 'deescalated', 'silenced', 'unsilenced', 'renotified', 'resolved', 'notification'] })
  kind!: string;
  @ApiPropertyOptional({ enum: ALERT_LEVELS }) level?: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) value?: number | null;
  @ApiPropertyOptional({ enum: ['webhook', 'slack'], description: '`notification` entries.' }) channel?: string;
  @ApiPropertyOptional({ enum: ['firing', 'resolved'], description: '`notification` entries.' }) transition?: string;
  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'failed'], description: '`notification` entries.' }) status?: string;
}

export class AlertHistoryEntryDto extends AlertDto {
  @ApiProperty({ enum: ALERT_LEVELS }) declare level: AlertLevel;
  @ApiProperty() declare silenced: boolean;
  @ApiProperty({ type: [AlertTimelineEntryDto], description: 'Oldest first.' }) timeline!: AlertTimelineEntryDto[];
}
