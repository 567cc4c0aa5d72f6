import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNumber, IsOptional, IsUUID, Max, Min, ValidateIf } from 'class-validator';
import { VERDICT_SETTINGS as S, VerdictSettingName } from './verdict-rules';

export class VerdictSettingsQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'project_id must be a UUID' })
  project_id!: string;
}

const range = (name: VerdictSettingName) =>
  `${S[name].description}. Default ${S[name].default}; ${S[name].min}..${S[name].max}; null = default.`;

/**
 * `PUT /monitoring/enterprise/verdict-rules`: the project's overrides of the verdict catalogue's settings (bounds
 * from VERDICT_SETTINGS). The body replaces every override: an absent or null setting is back to its default.
 */
export class PutVerdictSettingsDto implements Partial<Record<VerdictSettingName, number | null>> {
  @ApiPropertyOptional({ type: Number, nullable: true, description: range('latency_p95_limit') })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(S.latency_p95_limit.min)
  @Max(S.latency_p95_limit.max)
  latency_p95_limit?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: range('error_rate_limit') })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(S.error_rate_limit.min)
  @Max(S.error_rate_limit.max)
  error_rate_limit?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: range('cpu_usage_limit') })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(S.cpu_usage_limit.min)
  @Max(S.cpu_usage_limit.max)
  cpu_usage_limit?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: range('memory_usage_limit') })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(S.memory_usage_limit.min)
  @Max(S.memory_usage_limit.max)
  memory_usage_limit?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: range('warning_margin') })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(S.warning_margin.min)
  @Max(S.warning_margin.max)
  warning_margin?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: range('min_post_samples') })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsInt()
  @Min(S.min_post_samples.min)
  @Max(S.min_post_samples.max)
  min_post_samples?: number | null;
}

export class VerdictSettingDto {
  @ApiProperty({ description: 'The value the rules use for this project' }) value!: number;
  @ApiProperty() default!: number;
  @ApiProperty({ description: 'true when the project overrides the default' }) overridden!: boolean;
}

export class VerdictSettingsResponseDto {
  @ApiProperty() project_id!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/VerdictSettingDto' },
    description: `One entry per setting (${Object.keys(S).join(', ')})`,
  })
  settings!: Record<VerdictSettingName, VerdictSettingDto>;
}
