import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  ENV_NAME_PATTERN,
  MAX_ENVS_BY_PLAN,
  METRICS_ENDPOINT_MAX_LENGTH,
  PLANS,
  POLL_INTERVAL_MAX_S,
  POLL_INTERVAL_MIN_S,
  PROJECT_NAME_MAX_LENGTH,
} from '@seqpulse/contracts';
import type { MonitoringRefusal, Plan, SetPlanRequest, UpdateProjectRequest } from '@seqpulse/contracts';

const MAX_ENVS = Math.max(...Object.values(MAX_ENVS_BY_PLAN));

export class CreateProjectDto {
  @ApiProperty({ example: 'Checkout API', maxLength: PROJECT_NAME_MAX_LENGTH })
  @IsString()
  @MinLength(1)
  @MaxLength(PROJECT_NAME_MAX_LENGTH)
  name!: string;

  @ApiProperty({
    example: ['prod'],
    description: 'Lowercase `[a-z0-9-]{1,32}`; at most 1 on free, 3 on pro/enterprise. A new project is free.',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ENVS)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(ENV_NAME_PATTERN, { each: true, message: 'each env must match [a-z0-9-]{1,32}' })
  envs!: string[];

  @ApiProperty({
    example: 'https://checkout.example.com/seqpulse/metrics',
    description: 'http(s) URL SeqPulse polls; private and metadata addresses are refused.',
  })
  @IsString()
  @MaxLength(METRICS_ENDPOINT_MAX_LENGTH)
  metrics_endpoint!: string;

  @ApiPropertyOptional({ default: false, description: 'Sign polls with HMAC v2; the secret is returned once in the response.' })
  @IsOptional()
  @IsBoolean()
  hmac_enabled?: boolean;

  @ApiPropertyOptional({ default: 15, minimum: POLL_INTERVAL_MIN_S, maximum: POLL_INTERVAL_MAX_S })
  @IsOptional()
  @IsInt()
  @Min(POLL_INTERVAL_MIN_S)
  @Max(POLL_INTERVAL_MAX_S)
  poll_interval_s?: number;
}

export class UpdateProjectDto implements UpdateProjectRequest {
  @ApiPropertyOptional({ maxLength: PROJECT_NAME_MAX_LENGTH })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(PROJECT_NAME_MAX_LENGTH)
  name?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ENVS)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(ENV_NAME_PATTERN, { each: true, message: 'each env must match [a-z0-9-]{1,32}' })
  envs?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(METRICS_ENDPOINT_MAX_LENGTH)
  metrics_endpoint?: string;

  @ApiPropertyOptional({ description: 'Turning it on generates a secret, returned once.' })
  @IsOptional()
  @IsBoolean()
  hmac_enabled?: boolean;

  @ApiPropertyOptional({ minimum: POLL_INTERVAL_MIN_S, maximum: POLL_INTERVAL_MAX_S })
  @IsOptional()
  @IsInt()
  @Min(POLL_INTERVAL_MIN_S)
  @Max(POLL_INTERVAL_MAX_S)
  poll_interval_s?: number;
}

export class SetPlanDto implements SetPlanRequest {
  @ApiProperty({ enum: PLANS })
  @IsIn(PLANS)
  plan!: Plan;
}

class MonitoringStatusDto {
  @ApiProperty() enabled!: boolean;
  @ApiPropertyOptional({ enum: ['plan_not_enterprise', 'monitoring_not_enabled'] }) reason?: MonitoringRefusal;
}

export class ProjectDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PLANS }) plan!: Plan;
  @ApiProperty({ type: [String] }) envs!: string[];
  @ApiProperty() metrics_endpoint!: string;
  @ApiProperty() hmac_enabled!: boolean;
  @ApiProperty() poll_interval_s!: number;
  @ApiProperty() created_at!: string;
  @ApiPropertyOptional({ type: MonitoringStatusDto, description: 'For the owner and admins.' }) monitoring?: MonitoringStatusDto;
  @ApiPropertyOptional() owner_id?: string;
}

export class ProjectWithSecretDto extends ProjectDto {
  @ApiPropertyOptional({ description: 'The HMAC secret, present only in the response that created it.' }) hmac_secret?: string;
}

/** At least 256 bits' worth of URL-safe characters: what a generated secret has. */
export const CHOSEN_HMAC_SECRET_PATTERN = /^[A-Za-z0-9_-]{43,256}$/;

export class RotateSecretDto {
  @ApiPropertyOptional({
    description:
      'The new secret, chosen by the caller (43–256 URL-safe characters), so services can accept it before SeqPulse signs with it (rotation without missed polls). Omitted: SeqPulse generates one.',
  })
  @IsOptional()
  @IsString()
  @Matches(CHOSEN_HMAC_SECRET_PATTERN, { message: 'hmac_secret must be 43 to 256 URL-safe characters (A-Z a-z 0-9 _ -)' })
  hmac_secret?: string;
}
