import { Module } from '@nestjs/common';
import { RequestLimiter } from './request-limiter';
import { ConcurrencyShares } from './concurrency-shares';

/** Per-credential request limits (shared through Postgres) and fair shares of scarce resources; imported where they apply. */
@Module({ providers: [RequestLimiter, ConcurrencyShares], exports: [RequestLimiter, ConcurrencyShares] })
export class RateLimitsModule {}
