import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ApiError } from '../common/api-error';
import { TaskScheduler } from '../scheduler/task-scheduler';

/** The contract prefix of the realtime routes. */
const REALTIME_PREFIX = '/monitoring/enterprise/';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const WINDOW_S = 60;
const PRUNE_EVERY_MS = 5 * 60_000;

export type LimitedClass = 'realtime' | 'write';

/** Which limit a request counts against: realtime routes (any method), then other writes; reads elsewhere are not limited. */
export function limitClassOf(method: string, path: string): LimitedClass | null {
  if (path.startsWith(REALTIME_PREFIX)) return 'realtime';
  return WRITE_METHODS.has(method.toUpperCase()) ? 'write' : null;
}

/** What a limit needs of the caller (a `Principal` fits). */
export interface Credential {
  userId: string;
  apiKeyId: string | null;
}

/** The credential a limit is counted for: the API key, or the user (every session of a user shares one budget). */
export function credentialKey(principal: Credential): string {
  return principal.apiKeyId ? `key:${principal.apiKeyId}` : `user:${principal.userId}`;
}

/**
 * Per-credential request limits shared by every API process: fixed one-minute windows counted in the `rate_limits`
 * table (rate-limiter-flexible's Postgres store, one upsert per counted request). A credential over its limit is
 * then refused from memory until its window ends, without touching Postgres. If Postgres cannot be reached the
 * count falls back to this process's memory: limits stay on, requests are not refused because of the counter.
 */
@Injectable()
export class RequestLimiter implements OnModuleInit {
  private readonly logger = new Logger(RequestLimiter.name);
  private readonly limiters: Record<LimitedClass, RateLimiterPostgres>;

  constructor(
    config: AppConfig,
    private readonly db: DataSource,
    private readonly tasks: TaskScheduler,
  ) {
    const make = (keyPrefix: LimitedClass, points: number) =>
      new RateLimiterPostgres({
        storeClient: db,
        storeType: 'typeorm',
        tableName: 'rate_limits',
        tableCreated: true, // by migration 1764400950000
        clearExpiredByTimeout: false, // the `rate-limit-prune` task does it
        keyPrefix,
        points,
        duration: WINDOW_S,
        inMemoryBlockOnConsumed: points + 1,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: WINDOW_S }),
      });
    this.limiters = {
      realtime: make('realtime', config.SEQPULSE_RATE_LIMIT_REALTIME),
      write: make('write', config.SEQPULSE_RATE_LIMIT_WRITES),
    };
  }

  onModuleInit(): void {
    this.tasks.register({ name: 'rate-limit-prune', everyMs: PRUNE_EVERY_MS, runsIn: 'worker', run: () => this.prune() });
  }

  /** Deletes counters whose window ended more than a window ago; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    const [, count] = await this.db.query(`DELETE FROM rate_limits WHERE expire < $1`, [now - WINDOW_S * 1000]);
    return Number(count) || 0;
  }

  /** Counts the request; over the limit it sets Retry-After and throws 429 `rate_limited`. */
  async consume(principal: Credential, request: Request, response: Response): Promise<void> {
    const limitClass = limitClassOf(request.method, request.path);
    if (!limitClass) return;
    try {
      await this.limiters[limitClass].consume(credentialKey(principal));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) {
        this.logger.warn({ err: (rejection as Error)?.message }, 'Rate limit store failed; request let through');
        return;
      }
      const retryAfterS = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      response.setHeader('Retry-After', String(retryAfterS));
      throw new ApiError(429, 'rate_limited', `Too many ${limitClass} requests for this credential; retry in ${retryAfterS} s.`, {
        limit: this.limiters[limitClass].points,
        window_s: WINDOW_S,
        retry_after_s: retryAfterS,
      });
    }
  }
}
