import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';

class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ type: 'object', additionalProperties: true, example: { database: { status: 'ok', latency_ms: 1 } } })
  checks!: Record<string, { status: 'ok' | 'failed'; latency_ms?: number; error?: string }>;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: DataSource) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and dependencies. 200 when ok, 503 when degraded.' })
  @ApiOkResponse({ type: HealthDto })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthDto> {
    const database = await this.checkDatabase();
    const status = database.status === 'ok' ? 'ok' : 'degraded';
    res.status(status === 'ok' ? 200 : 503);
    return { status, checks: { database } };
  }

  private async checkDatabase(): Promise<{ status: 'ok' | 'failed'; latency_ms?: number; error?: string }> {
    const started = performance.now();
    try {
      await this.db.query('SELECT 1');
      return { status: 'ok', latency_ms: Math.round(performance.now() - started) };
    } catch (error) {
      return { status: 'failed', error: (error as Error).message };
    }
  }
}
