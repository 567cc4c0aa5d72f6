import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError } from '../common/api-error';

/** Requests of one credential waiting for a slot; beyond this they are refused at once. */
const MAX_WAITING_PER_KEY = 16;

interface Share {
  held: number;
  waiting: (() => void)[];
}

/**
 * Fair share of a small pool (e.g. the timeseries connections): one credential holds at most `perKey` of its slots
 * at once. Its further requests wait in their own queue (not in front of other credentials); a credential with
 * more than MAX_WAITING_PER_KEY waiting is refused with 429 `rate_limited`.
 */
@Injectable()
export class ConcurrencyShares {
  private readonly shares = new Map<string, Share>();

  async run<T>(pool: string, key: string, perKey: number, response: Response, work: () => Promise<T>): Promise<T> {
    const slot = `${pool}:${key}`;
    let share = this.shares.get(slot);
    if (!share) this.shares.set(slot, (share = { held: 0, waiting: [] }));
    if (share.held >= perKey) {
      if (share.waiting.length >= MAX_WAITING_PER_KEY) {
        response.setHeader('Retry-After', '1');
        throw new ApiError(429, 'rate_limited', `Too many concurrent ${pool} requests for this credential; retry in 1 s.`, {
          concurrent_limit: perKey,
          retry_after_s: 1,
        });
      }
      await new Promise<void>((resolve) => share.waiting.push(resolve));
    } else {
      share.held++;
    }
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter of the same credential, or is given back.
      const next = share.waiting.shift();
      if (next) next();
      else if (--share.held === 0) this.shares.delete(slot);
    }
  }

  inUse(pool: string, key: string): number {
    return this.shares.get(`${pool}:${key}`)?.held ?? 0;
  }
}
