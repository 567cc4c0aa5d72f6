import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNumber, IsOptional, IsString, Matches, ValidateNested } from 'class-validator';
import { Allow } from 'class-validator';
import { QueryParam, QueryParams, instant, integerIn, oneOf } from '../common/query-params';
import { ALERT_RESOLUTION_REASONS, ALERT_RULES, ENV_NAME_PATTERN, MAX_ENVS_BY_PLAN, thresholdUnitsDescription } from '@seqpulse/contracts';
import type { AlertRuleName } from '@seqpulse/contracts';

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
