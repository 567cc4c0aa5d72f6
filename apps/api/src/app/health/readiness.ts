import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A readiness probe waits at most this long for the database; an orchestrator's probe timeout is usually 1–5 s. */
const READY_CHECK_TIMEOUT_MS = 2_000;

export type Readiness = { ready: true } | { ready: false; reason: 'starting' | 'shutting_down' | 'database_unavailable' };

/**
 * Whether this process should receive traffic: started (migrations run, tasks started), not shutting down
 * (an orchestrator stops routing to it before the in-flight polls are flushed and leases handed back), and its
 * database answering. Liveness is only "the event loop answers": a database outage must not get every
 * process restarted.
 */
@Injectable()
export class ProcessReadiness implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private started = false;
  private stopping = false;

  constructor(private readonly db: DataSource) {}

  onApplicationBootstrap(): void {
    this.started = true;
  }

  beforeApplicationShutdown(): void {
    this.stopping = true;
  }

  async check(): Promise<Readiness> {
    if (this.stopping) return { ready: false, reason: 'shutting_down' };
    if (!this.started) return { ready: false, reason: 'starting' };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.db.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), READY_CHECK_TIMEOUT_MS))),
      ]);
      return { ready: true };
    } catch {
      return { ready: false, reason: 'database_unavailable' };
    } finally {
      clearTimeout(timer);
    }
  }
}
