import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PHASES, STEPS, STREAM_HEARTBEAT_S } from '@seqpulse/contracts';
import { sendJson } from '../common/compression';
import type { ProjectEntity } from '../projects/project.entity';
import { AccessRecordsService } from './access-records.service';
import { EnterpriseRoute, GatedProject } from './enterprise-gate';
import { PointDto, resolveTimeseriesRequest, STEP_AGGREGATIONS, TimeseriesQuery, TimeseriesResponseDto } from './timeseries.dto';
import { TimeseriesService } from './timeseries.service';
import { resolveStreamFilter, StreamQuery } from './stream.dto';
import { StreamHub } from './stream-hub';
import { StreamGuard } from './stream-guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { ConcurrencyShares } from '../rate-limits/concurrency-shares';
import { credentialKey } from '../rate-limits/request-limiter';

/** Concurrent timeseries queries per credential: half of TimeseriesService's pool of 4 connections. */
const TIMESERIES_SHARE_PER_CREDENTIAL = 2;

const TIME_DOC = 'ISO-8601 (`2026-11-28T10:15:00Z`, or with an offset) or Unix seconds';

@ApiTags('monitoring')
@ApiExtraModels(PointDto)
@Controller('monitoring/enterprise')
export class MonitoringController {
  constructor(
    private readonly timeseries: TimeseriesService,
    private readonly hub: StreamHub,
    private readonly records: AccessRecordsService,
    private readonly streams: StreamGuard,
    private readonly shares: ConcurrencyShares,
  ) {}

  @Get('timeseries')
  @EnterpriseRoute()
  @ApiOperation({
    summary: `The five metrics of one env, aggregated per epoch-aligned step (${STEP_AGGREGATIONS}), with the deployments of the range.`,
    description:
      'Point `t` aggregates the samples with `t ≤ collected_at < t + step`; points run from the bucket containing `from` to the bucket containing `to`; an empty bucket is `{"v": null}`. More than 11,000 points per series is 400 `range_too_large`. Unknown parameters are refused.',
  })
  @ApiQuery({ name: 'from', required: false, description: `${TIME_DOC}; default: \`to\` − 1 hour` })
  @ApiQuery({ name: 'to', required: false, description: `${TIME_DOC}; default: now` })
  @ApiQuery({ name: 'step', required: false, enum: STEPS, description: 'Default: the finest step giving at most 1,500 points' })
  @ApiQuery({ name: 'env', required: false, description: "Default: the project's first env; another project's env is 400" })
  @ApiQuery({ name: 'phase', required: false, enum: PHASES, description: 'Default: both phases' })
  @ApiOkResponse({ type: TimeseriesResponseDto })
  async get(
    @GatedProject() project: ProjectEntity,
    @Query() query: TimeseriesQuery,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const request = resolveTimeseriesRequest(query, project.envs, Date.now());
    // Fair share of the timeseries pool: one credential holds at most half of its connections; more wait their turn.
    const principal = (req as AuthenticatedRequest).principal as Principal;
    const body = await this.shares.run('timeseries', credentialKey(principal), TIMESERIES_SHARE_PER_CREDENTIAL, res, () =>
      this.timeseries.queryJson(project.id, request),
    );
    await sendJson(req, res, body);
  }

  @Get('stream')
  @EnterpriseRoute()
  @ApiOperation({
    summary: 'Server-Sent Events: `sample` (one per stored sample), `alert` (alert transitions), a `: heartbeat` comment every 15 s.',
    description:
      '`event: sample` data `{"t","env","phase","values":{…five metrics…}}`; `event: alert` data is an alert instance. Filters: `env` (default: every env of the project) and `phase`. If the server loses its database notification channel it ends the stream; reconnect and refill the gap from the timeseries route. Every heartbeat re-checks the credential, the plan and the rollout: a stream that no longer passes ends with `event: end` data `{"reason","message"}` (reason: `unauthenticated`, `insufficient_scope`, `project_not_found`, `plan_not_enterprise`, `monitoring_not_enabled`). Open streams are capped per user or key (SEQPULSE_STREAMS_PER_CREDENTIAL, default 10) and per process: over a cap, 429 `rate_limited` with Retry-After. A reader that takes nothing for SEQPULSE_STREAM_WRITE_TIMEOUT_S (30 s) while data waits is disconnected.',
  })
  @ApiQuery({ name: 'env', required: false, description: 'Only this env (default: all envs of the project)' })
  @ApiQuery({ name: 'phase', required: false, enum: PHASES, description: 'Only samples of this phase (default: both)' })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  stream(@GatedProject() project: ProjectEntity, @Query() query: StreamQuery, @Req() req: Request, @Res() res: Response): void {
    const filter = resolveStreamFilter(query, project.envs);
    // Caps, stalled-reader timeout and the per-heartbeat re-checks live in StreamGuard (429 here when over a cap).
    const stream = this.streams.open(req, res, project.id, this.hub.heartbeatMs);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    res.write(`retry: 3000\n: connected ${new Date().toISOString()} heartbeat every ${STREAM_HEARTBEAT_S}s\n\n`);
    this.records.commit(req, res);
    const unsubscribe = this.hub.subscribe({
      projectId: project.id,
      env: filter.env,
      phase: filter.phase,
      write: (chunk) => stream.write(chunk),
      end: () => stream.end(),
    });
    stream.onClose(unsubscribe);
  }
}
