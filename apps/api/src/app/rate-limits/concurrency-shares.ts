import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError } from '../common/api-error';

/**
 * Fair share of a small pool (e.g. the timeseries connections): one credential may hold at most `perKey` of its
 * slots at once; a request beyond that is refused with 429 at once instead of queueing in front of everyone else.
 */
@Injectable()
export class ConcurrencyShares {
  private readonly held = new Map<string, number>();

  async run<T>(pool: string, key: string, perKey: number, response: Response, work: () => Promise<T>): Promise<T> {
    const slot = `${pool}:${key}`;
    const current = this.held.get(slot) ?? 0;
    if (current >= perKey) {
      response.setHeader('Retry-After', '1');
      throw new ApiError(429, 'rate_limited', `At most ${perKey} concurrent ${pool} requests per credential; retry in 1 s.`, {
        concurrent_limit: perKey,
        retry_after_s: 1,
      });
    }
    this.held.set(slot, current + 1);
    try {
      return await work();
    } finally {
      const left = (this.held.get(slot) ?? 1) - 1;
      if (left > 0) this.held.set(slot, left);
      else this.held.delete(slot);
    }
  }

  inUse(pool: string, key: string): number {
    return this.held.get(`${pool}:${key}`) ?? 0;
  }
}
