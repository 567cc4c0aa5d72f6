import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsUuid } from '../common/uuid-pipe';
import { DEPLOYMENT_RESULTS, ENV_NAME_PATTERN } from '@seqpulse/contracts';
import type { DeploymentResult, FinishDeploymentRequest, TriggerDeploymentRequest } from '@seqpulse/contracts';

export class TriggerDeploymentDto implements TriggerDeploymentRequest {
  @ApiProperty()
  @IsUuid({ message: 'project_id must be a project id' })
  project_id!: string;

  @ApiProperty({ example: 'prod' })
  @IsString()
  @Matches(ENV_NAME_PATTERN, { message: 'env must match [a-z0-9-]{1,32}' })
  env!: string;

  @ApiPropertyOptional({
    description: 'The same key for the same project returns the existing deployment (status `existing`).',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  idempotency_key?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  branch?: string;
}

export class TriggerDeploymentResponseDto {
  @ApiProperty() deployment_id!: string;
  @ApiProperty({ enum: ['created', 'existing'] }) status!: 'created' | 'existing';
}

export class FinishDeploymentDto implements FinishDeploymentRequest {
  @ApiProperty()
  @IsString()
  @MaxLength(100)
  deployment_id!: string;

  @ApiProperty({ enum: DEPLOYMENT_RESULTS })
  @IsIn(DEPLOYMENT_RESULTS)
  result!: DeploymentResult;
}

export class FinishDeploymentResponseDto {
  @ApiProperty({
    enum: ['accepted', 'ignored', 'not_found'],
    description: '`ignored`: already finished; `not_found`: unknown or not yours.',
  })
  status!: 'accepted' | 'ignored' | 'not_found';
}
