import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiError } from '../common/api-error';
import { sendJson } from '../common/compression';
import type { Principal } from '../auth/principal';
import { AccessRecordsService, EnterpriseEachProjectRoute } from '../monitoring';
import { OverviewResponseDto } from './overview.dto';
import { OverviewService } from './overview.service';

@ApiTags('monitoring')
@Controller('monitoring/enterprise')
export class OverviewController {
  constructor(
    private readonly overview: OverviewService,
    private readonly records: AccessRecordsService,
  ) {}

  @Get('overview')
  @EnterpriseEachProjectRoute()
  @ApiOperation({
    summary: 'Every project you can see, with the current state of each monitored env: the page that says where to look first.',
    description:
      'One answer for the whole page. For each project: plan and monitoring status; for each env of a monitored project: the last sample and its time, a one-hour sparkline per metric (60 one-minute aggregates, null for gaps), firing alerts by level and the last deployment. Projects without Realtime are listed with their status and no env data. One access record per Enterprise project (200 served, 403 outside the rollout).',
  })
  @ApiOkResponse({ type: OverviewResponseDto })
  async get(@Req() req: Request & { principal?: Principal }, @Res() res: Response): Promise<void> {
    if (!req.principal) throw ApiError.unauthenticated();
    const { json, accesses, timings } = await this.overview.build(req.principal);
    this.records.recordProjects(req, accesses);
    // where the time went, for browser dev tools and the benchmark
    res.setHeader(
      'Server-Timing',
      Object.entries(timings)
        .map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`)
        .join(', '),
    );
    // ~1 MB for 400 envs: compressed in one call in the thread pool at the fastest level, as the timeseries route
    await sendJson(req, res, json);
  }
}
