import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import {
  DELIVERY_STATUSES,
  DEPLOYMENT_SILENCE_LIMITS,
  NOTIFICATION_CHANNELS,
  METRICS_ENDPOINT_MAX_LENGTH,
  RENOTIFY_LIMITS,
  WEBHOOK_FORMATS,
} from '@seqpulse/contracts';
import type { WebhookFormat } from '@seqpulse/contracts';
import type { UpdateNotificationSettingsRequest } from '@seqpulse/contracts';

export class UpdateNotificationSettingsDto implements UpdateNotificationSettingsRequest {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://hooks.example.com/seqpulse',
    description: 'Outgoing webhook: one JSON POST per alert transition, HMAC v2 signed with the project secret. Absent or null = off.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(METRICS_ENDPOINT_MAX_LENGTH)
  webhook_url?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://hooks.slack.com/services/T000/B000/XXXX',
    description: 'Slack-compatible incoming webhook (`{"text": …}`). Absent or null = off.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(METRICS_ENDPOINT_MAX_LENGTH)
  slack_webhook_url?: string | null;

  @ApiPropertyOptional({ default: true, description: 'Send a notification when an alert resolves.' })
  @IsOptional()
  @IsBoolean()
  send_resolved?: boolean;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: RENOTIFY_LIMITS.minMinutes,
    maximum: RENOTIFY_LIMITS.maxMinutes,
    description: 'Re-notify a still-firing, unsilenced alert every this many minutes. Absent or null = off.',
  })
  @IsOptional()
  @IsInt()
  @Min(RENOTIFY_LIMITS.minMinutes)
  @Max(RENOTIFY_LIMITS.maxMinutes)
  renotify_min?: number | null;

  @ApiPropertyOptional({
    default: RENOTIFY_LIMITS.defaultCount,
    minimum: 1,
    maximum: RENOTIFY_LIMITS.maxCount,
    description: 'The cap: at most this many re-notifications per alert.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(RENOTIFY_LIMITS.maxCount)
  renotify_max?: number;

  @ApiPropertyOptional({
    enum: WEBHOOK_FORMATS,
    default: 'seqpulse',
    description: "`alertmanager`: Alertmanager's webhook payload (version 4), unsigned body shape but the same HMAC headers.",
  })
  @IsOptional()
  @IsIn(WEBHOOK_FORMATS)
  webhook_format?: WebhookFormat;

  @ApiPropertyOptional({
    default: false,
    description:
      "Silence the env's alerts while one of its deployments runs (from the trigger to the finish, at most `deployment_silence_max_min`): they still open and resolve, recorded as silenced, but send nothing.",
  })
  @IsOptional()
  @IsBoolean()
  silence_during_deployments?: boolean;

  @ApiPropertyOptional({
    default: DEPLOYMENT_SILENCE_LIMITS.defaultMinutes,
    minimum: 1,
    maximum: DEPLOYMENT_SILENCE_LIMITS.maxMinutes,
    description: 'The hard cap: a deployment silences at most this many minutes after its trigger, finished or not.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(DEPLOYMENT_SILENCE_LIMITS.maxMinutes)
  deployment_silence_max_min?: number;
}

export class NotificationSettingsDto {
  @ApiProperty() project_id!: string;
  @ApiProperty({ type: String, nullable: true }) webhook_url!: string | null;
  @ApiProperty({ type: String, nullable: true }) slack_webhook_url!: string | null;
  @ApiProperty({ type: String, nullable: true }) updated_at!: string | null;
  @ApiPropertyOptional({ description: 'Present only when false (the default is true).' }) send_resolved?: boolean;
  @ApiPropertyOptional({ description: 'Present only when re-notification is on.' }) renotify_min?: number;
  @ApiPropertyOptional({ description: 'Present with renotify_min: the cap on re-notifications per alert.' }) renotify_max?: number;
  @ApiPropertyOptional({ enum: WEBHOOK_FORMATS, description: 'Present only when not `seqpulse`.' }) webhook_format?: WebhookFormat;
  @ApiPropertyOptional({ description: 'Present (true) only when on.' }) silence_during_deployments?: boolean;
  @ApiPropertyOptional({ description: 'Present with silence_during_deployments: its cap in minutes after the trigger.' })
  deployment_silence_max_min?: number;
}

export class DeliveriesQueryDto {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

class DeliveryAttemptDto {
  @ApiProperty() attempt!: number;
  @ApiProperty() at!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'HTTP status received; null when there was no response.' }) http_status!:
    | number
    | null;
  @ApiProperty() ok!: boolean;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty() duration_ms!: number;
}

export class NotificationDeliveryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The alert; null for a deployment verdict.' }) alert_id!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The deployment whose verdict is announced; null for an alert.' })
  deployment_id!: string | null;
  @ApiProperty({ enum: NOTIFICATION_CHANNELS }) channel!: string;
  @ApiProperty({ enum: ['firing', 'resolved', 'warning', 'rollback_recommended', 'final'] }) transition!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, nullable: true, description: 'Next attempt of a pending delivery.' }) next_attempt_at!: string | null;
  @ApiProperty() created_at!: string;
  @ApiProperty({ type: String, nullable: true }) delivered_at!: string | null;
  @ApiProperty({ type: [DeliveryAttemptDto] }) attempt_log!: DeliveryAttemptDto[];
}
