import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DEPLOYMENTS_NOTIFY_CHANNEL } from '@seqpulse/contracts';
import type { DeploymentStreamNotice } from '@seqpulse/contracts';
import { StreamHub } from '../monitoring/stream-hub';

interface Waiter {
  /** Re-reads the verdict; true when the wait is over. */
  check(): Promise<boolean>;
  done(): void;
}

/**
 * Long polls waiting for a verdict. A waiter is a timer and an entry in a map: it costs no CPU while it waits.
 * It wakes when the hub relays a `verdict` notice for its deployment (from whichever process computed it), or
 * after the hub reconnected (notices may have been missed), and re-reads the verdict then.
 */
@Injectable()
export class VerdictWaiters implements OnModuleInit, OnModuleDestroy {
  private readonly byDeployment = new Map<string, Set<Waiter>>();
  private unlisten?: () => void;

  constructor(private readonly hub: StreamHub) {}

  onModuleInit(): void {
    this.unlisten = this.hub.listen(DEPLOYMENTS_NOTIFY_CHANNEL, (notice) => {
      if (notice === null) {
        for (const id of [...this.byDeployment.keys()]) this.wake(id);
        return;
      }
      const n = notice as Partial<DeploymentStreamNotice>;
      if (n.state === 'verdict' && typeof n.deployment_id === 'string') this.wake(n.deployment_id);
    });
  }

  onModuleDestroy(): void {
    this.unlisten?.();
    for (const set of this.byDeployment.values()) for (const w of [...set]) w.done();
  }

  get waiting(): number {
    let n = 0;
    for (const set of this.byDeployment.values()) n += set.size;
    return n;
  }

  /**
   * Resolves when `check()` says the wait is over after a notice, when `timeoutMs` runs out, or when `signal`
   * aborts (the client went away).
   */
  wait(deploymentId: string, timeoutMs: number, check: () => Promise<boolean>, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      let set = this.byDeployment.get(deploymentId);
      if (!set) this.byDeployment.set(deploymentId, (set = new Set()));
      const waiter: Waiter = {
        check,
        done: () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', waiter.done);
          const current = this.byDeployment.get(deploymentId);
          current?.delete(waiter);
          if (current?.size === 0) this.byDeployment.delete(deploymentId);
          resolve();
        },
      };
      const timer = setTimeout(waiter.done, timeoutMs);
      signal?.addEventListener('abort', waiter.done, { once: true });
      set.add(waiter);
    });
  }

  private wake(deploymentId: string): void {
    const set = this.byDeployment.get(deploymentId);
    if (!set) return;
    for (const waiter of [...set]) {
      void waiter.check().then(
        (over) => over && waiter.done(),
        () => undefined, // a failed re-read keeps waiting; the timeout still answers
      );
    }
  }
}
