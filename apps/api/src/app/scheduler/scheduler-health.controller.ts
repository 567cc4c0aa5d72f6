import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { API_KEY_PREFIX } from '@seqpulse/contracts';
import type { SchedulerHealth } from '@seqpulse/contracts';
import { Public } from '../auth/decorators';
import { AuthService } from '../auth/auth.service';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { extractCredential } from '../auth/auth.guard';
import { FailureLog } from '../collection/failure-log';
import { isoSeconds } from '../common/time';

/** A worker whose last heartbeat is older than this is considered gone. */
const HEARTBEAT_STALE_S = 30;

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
  @ApiProperty({ description: 'Workers with a heartbeat in the last 30 s.' }) workers!: {
    id: string;
    role: string;
    heartbeat_age_s: number;
  }[];
  @ApiPropertyOptional({ description: 'The 20 latest collection failures; only for administrators.' }) recent_failures?: unknown[];
}

@ApiTags('health')
@Controller('health')
export class SchedulerHealthController {
  constructor(
    private readonly db: DataSource,
    private readonly failures: FailureLog,
    private readonly auth: AuthService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  @Get('scheduler')
  @Public()
  @ApiOperation({
    summary: 'The job system: counts, stuck jobs, mean collection and analysis time. Administrators also get the latest failures.',
  })
  @ApiOkResponse({ type: SchedulerHealthDto })
  async scheduler(@Req() request: Request): Promise<SchedulerHealth> {
    const [jobs] = await this.db.query(`
      SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending,
             count(*) FILTER (WHERE state = 'running')::int AS running,
             count(*) FILTER (WHERE state = 'failed')::int AS failed,
             count(*) FILTER (WHERE state = 'running' AND lease_until < now())::int AS stuck_running,
             round(avg(duration_ms) FILTER (WHERE kind = 'poll' AND state IN ('succeeded', 'failed') AND finished_at > now() - interval '15 minutes'))::int AS avg_collection_ms,
             coalesce(sum(requeued_count) FILTER (WHERE created_at > now() - interval '15 minutes'), 0)::int AS requeued,
             count(*) FILTER (WHERE state = 'succeeded' AND finished_at > now() - interval '15 minutes')::int AS succeeded_15m,
             count(*) FILTER (WHERE state = 'failed' AND finished_at > now() - interval '15 minutes')::int AS failed_15m,
             percentile_cont(0.99) WITHIN GROUP (ORDER BY lag_ms) FILTER (WHERE started_at > now() - interval '5 minutes') AS lag_p99
        FROM jobs`);
    const [analysis] = await this.db.query(
      `SELECT round(avg(duration_ms))::int AS avg_ms FROM analysis_runs WHERE started_at > now() - interval '15 minutes'`,
    );
    const workers: { id: string; role: string; age: number }[] = await this.db.query(
      `SELECT id, role, extract(epoch FROM now() - heartbeat_at)::float AS age FROM workers ORDER BY heartbeat_at DESC`,
    );
    const reasons: { reason: string; n: number }[] = await this.db.query(
      `SELECT reason, count(*)::int AS n FROM collection_failures WHERE at > now() - interval '15 minutes' GROUP BY reason ORDER BY reason`,
    );
    const heartbeatAge = workers.length ? Math.round(workers[0].age * 10) / 10 : null;
    const live = workers.filter((w) => w.age <= HEARTBEAT_STALE_S);
    const degraded = heartbeatAge === null || heartbeatAge > HEARTBEAT_STALE_S || jobs.stuck_running > 0;
    const health: SchedulerHealth = {
      status: degraded ? 'degraded' : 'ok',
      timestamp: isoSeconds(new Date()),
      jobs: { pending: jobs.pending, running: jobs.running, failed: jobs.failed },
      stuck_running: jobs.stuck_running,
      avg_collection_ms: jobs.avg_collection_ms,
      avg_analysis_ms: analysis.avg_ms,
      heartbeat_age_s: heartbeatAge,
      requeued_last_15m: jobs.requeued,
      polls_last_15m: { succeeded: jobs.succeeded_15m, failed: jobs.failed_15m },
      schedule_lag_p99_ms: jobs.lag_p99 === null ? null : Math.round(jobs.lag_p99),
      failures_by_reason: Object.fromEntries(reasons.map((r) => [r.reason, r.n])),
      workers: live.map((w) => ({ id: w.id, role: w.role, heartbeat_age_s: Math.round(w.age * 10) / 10 })),
    };
    if (await this.isAdmin(request)) health.recent_failures = await this.failures.recent({ limit: 20 });
    return health;
  }

  /** Optional authentication: the route is public, the failure details are not. */
  private async isAdmin(request: Request): Promise<boolean> {
    const credential = extractCredential(request);
    if (!credential) return false;
    const principal = credential.startsWith(API_KEY_PREFIX)
      ? await this.apiKeys.authenticate(credential)
      : await this.auth.authenticateSession(credential);
    return principal?.role === 'admin' && principal.scopes.has('admin');
  }
}
