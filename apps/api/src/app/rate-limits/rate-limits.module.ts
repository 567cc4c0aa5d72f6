import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RequestLimitGuard } from './request-limit.guard';
import { RequestLimiter } from './request-limiter';
import { ConcurrencyShares } from './concurrency-shares';
import { SchedulerModule } from '../scheduler/scheduler.module';

/** Per-credential request limits (shared through Postgres) and fair shares of scarce resources; imported where they apply. */
@Module({
  imports: [SchedulerModule],
  providers: [RequestLimiter, ConcurrencyShares, { provide: APP_GUARD, useClass: RequestLimitGuard }],
  exports: [RequestLimiter, ConcurrencyShares],
})
export class RateLimitsModule {}
