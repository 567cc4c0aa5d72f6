import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { Credentials, isFullAdmin } from '../auth/credentials';
import { ProcessReadiness } from './readiness';

type Check = { status: 'ok' | 'failed'; latency_ms?: number; error?: string };

class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { database: { status: 'ok', latency_ms: 1 } },
    description: 'Each dependency up or down; latency and error text only for an administrator credential.',
  })
  checks!: Record<string, Check>;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: DataSource,
    private readonly credentials: Credentials,
    private readonly readiness: ProcessReadiness,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness for orchestrators: 200 while the process answers (the database is not consulted).' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({
    summary:
      'Readiness for orchestrators: 200 when started and the database answers; 503 with a reason while starting, ' +
      'shutting down (leases being handed back) or without a database.',
  })
  @ApiOkResponse({ schema: { example: { status: 'ready' } } })
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: 'ready' } | { status: 'not_ready'; reason: string }> {
    const readiness = await this.readiness.check();
    if (readiness.ready) return { status: 'ready' };
    res.status(503);
    return { status: 'not_ready', reason: readiness.reason };
  }

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Up or down, publicly; the details (latencies, errors) for administrators. 200 when ok, 503 when degraded.',
  })
  @ApiOkResponse({ type: HealthDto })
  async health(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<HealthDto> {
    const database = await this.checkDatabase();
    const status = database.status === 'ok' ? 'ok' : 'degraded';
    res.status(status === 'ok' ? 200 : 503);
    // Only a request that carries a credential costs the lookup; probes stay one query.
    const details =
      (req.headers.authorization || req.headers['x-api-key']) && isFullAdmin(await this.credentials.fromRequest(req).catch(() => null));
    return { status, checks: { database: details ? database : { status: database.status } } };
  }

  private async checkDatabase(): Promise<Check> {
    const started = performance.now();
    try {
      await this.db.query('SELECT 1');
      return { status: 'ok', latency_ms: Math.round(performance.now() - started) };
    } catch (error) {
      return { status: 'failed', error: (error as Error).message.slice(0, 200) };
    }
  }
}
