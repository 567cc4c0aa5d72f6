import { ServerResponse } from 'node:http';

/**
 * Responses the fleet deliberately keeps open: outages (never answered) and slow answers.
 * Tracked so that shutdown can end them at once instead of waiting for clients to give up.
 */
export class PendingResponses {
  private readonly timers = new Map<ServerResponse, NodeJS.Timeout>();

  get size(): number {
    return this.timers.size;
  }

  /**
   * Accepts the request and never answers. After `maxHoldMs` the socket is destroyed (still
   * without an answer) so that a client without a timeout cannot pin memory forever.
   */
  holdWithoutAnswer(res: ServerResponse, maxHoldMs: number): void {
    this.track(res, maxHoldMs, () => res.destroy());
  }

  /** Runs `answer` after `delayMs`, unless the client went away first. */
  answerLater(res: ServerResponse, delayMs: number, answer: () => void): void {
    this.track(res, delayMs, answer);
  }

  /** Shutdown: drop every pending response without answering. */
  destroyAll(): void {
    for (const [res, timer] of this.timers) {
      clearTimeout(timer);
      res.destroy();
    }
    this.timers.clear();
  }

  private track(res: ServerResponse, delayMs: number, onTimeout: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(res);
      onTimeout();
    }, delayMs);
    this.timers.set(res, timer);
    // 'close' fires when the answer is sent or the client disconnected.
    res.once('close', () => {
      clearTimeout(timer);
      this.timers.delete(res);
    });
  }
}
