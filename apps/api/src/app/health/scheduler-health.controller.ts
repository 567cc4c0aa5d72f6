import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { SchedulerHealth } from '@seqpulse/contracts';
import { Public } from '../auth/decorators';
import { Credentials, isFullAdmin } from '../auth/credentials';
import { SchedulerHealthService } from './scheduler-health.service';

class JobCountsDto {
  @ApiProperty() pending!: number;
  @ApiProperty() running!: number;
  @ApiProperty() failed!: number;
}

class SchedulerHealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty() timestamp!: string;
  @ApiProperty({ type: JobCountsDto, description: 'Job rows in each state (failed: kept for the failure retention).' }) jobs!: JobCountsDto;
  @ApiProperty({ description: 'Running jobs whose lease has expired (their worker died or hangs); they are re-queued shortly.' })
  stuck_running!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Mean poll duration over the last 15 minutes.' }) avg_collection_ms!:
    | number
    | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Mean alert evaluation duration over the last 15 minutes.' }) avg_analysis_ms!:
    | number
    | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Age of the freshest worker heartbeat.' }) heartbeat_age_s!: number | null;
  @ApiProperty({ description: 'Jobs recovered from dead workers in the last 15 minutes.' }) requeued_last_15m!: number;
  @ApiProperty({ description: 'Polls finished in the last 15 minutes, by outcome.' }) polls_last_15m!: {
    succeeded: number;
    failed: number;
  };
  @ApiProperty({ nullable: true, type: Number, description: 'p99 of (poll start − scheduled slot) over the last 5 minutes.' })
  schedule_lag_p99_ms!: number | null;
  @ApiProperty({ description: 'Failed polls in the last 15 minutes by reason.' }) failures_by_reason!: Record<string, number>;
  @ApiProperty({
    description:
      'Workers with a heartbeat in the last 30 s. Their ids (host and process) are shown to administrators; others see `worker-<n>`.',
  })
  workers!: {
    id: string;
    role: string;
    heartbeat_age_s: number;
  }[];
  @ApiProperty({
    description:
      'Periodic tasks of the live workers (enqueue, claim, flush, reap, evaluation, outbox, rollups, pruning…): runs, failures, skipped runs, last and mean duration.',
  })
  tasks!: unknown[];
  @ApiPropertyOptional({ description: 'The 20 latest collection failures; only for administrators.' }) recent_failures?: unknown[];
}

@ApiTags('health')
@Controller('health')
export class SchedulerHealthController {
  constructor(
    private readonly health: SchedulerHealthService,
    private readonly credentials: Credentials,
  ) {}

  @Get('scheduler')
  @Public()
  @ApiOperation({
    summary:
      'The job system: counts, stuck jobs, mean collection and analysis time, periodic tasks. Administrators also get the latest failures.',
  })
  @ApiOkResponse({ type: SchedulerHealthDto })
  async scheduler(@Req() request: Request): Promise<SchedulerHealth> {
    // Optional authentication: the route is public, worker hosts, pids and failure details are not.
    return this.health.report(isFullAdmin(await this.credentials.fromRequest(request)));
  }
}
