import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { isIP } from 'node:net';
import { Public } from '../auth/decorators';
import { Credentials, isFullAdmin } from '../auth/credentials';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';
import { OperationalMetrics } from './operational-metrics';

@ApiTags('health')
@Controller('metrics')
export class OperationalMetricsController {
  constructor(
    private readonly metrics: OperationalMetrics,
    private readonly credentials: Credentials,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiProduces('text/plain')
  @ApiOperation({
    summary:
      'This process’s operational metrics in Prometheus text format. An administrator credential, or no credential from ' +
      'a loopback peer when SEQPULSE_METRICS_PUBLIC_LOOPBACK=true (a scraper beside the process).',
  })
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4.' })
  async scrape(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!(this.config.SEQPULSE_METRICS_PUBLIC_LOOPBACK && fromLoopbackDirectly(req))) {
      const principal = await this.credentials.fromRequest(req);
      if (!principal) throw ApiError.unauthenticated();
      if (!isFullAdmin(principal)) throw ApiError.insufficientScope('Operational metrics are for administrators.');
    }
    const { contentType, body } = await this.metrics.exposition();
    // Set as is: Express's `type()` would add a charset parameter the exposition format does not name.
    res.status(200).setHeader('content-type', contentType);
    res.end(body);
  }
}

/**
 * The TCP peer is this machine and no proxy relayed the request: a reverse proxy on the same host forwards
 * outside callers from loopback too, and they must not get the public answer.
 */
function fromLoopbackDirectly(req: Request): boolean {
  if (req.headers['x-forwarded-for'] || req.headers.forwarded || req.headers['x-real-ip']) return false;
  const peer = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  return isIP(peer) !== 0 && (peer === '::1' || peer.startsWith('127.'));
}
