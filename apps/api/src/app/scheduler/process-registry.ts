import { Injectable, OnModuleInit } from '@nestjs/common';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { TaskStats } from './interfaces/periodic-task';
import { TaskScheduler } from './task-scheduler';
import { WorkerIdentity } from './worker-identity';

/** How often a worker says it is alive (and publishes its task timings). */
const HEARTBEAT_EVERY_MS = 5_000;
/** Rows of processes silent this long are forgotten. */
const FORGET_AFTER = '1 hour';

export interface WorkerRow {
  id: string;
  role: string;
  age_s: number;
  tasks: TaskStats[];
}

/**
 * The `workers` table: one row per worker process, refreshed by its heartbeat with the timing of its periodic
 * tasks, so any API process can show the whole job system in `/health/scheduler`.
 */
@Injectable()
export class ProcessRegistry implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly identity: WorkerIdentity,
    private readonly tasks: TaskScheduler,
  ) {}

  onModuleInit(): void {
    this.tasks.register({
      name: 'worker-heartbeat',
      everyMs: HEARTBEAT_EVERY_MS,
      runsIn: 'worker',
      runAtStart: true,
      run: () => this.heartbeat(),
    });
    this.tasks.register({ name: 'worker-registry-prune', everyMs: 60_000, runsIn: 'worker', run: () => this.prune() });
  }

  async heartbeat(): Promise<void> {
    await this.db.query(
      `INSERT INTO workers (id, role, pid, host, tasks) VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), tasks = EXCLUDED.tasks`,
      [this.identity.id, this.config.SEQPULSE_ROLE, process.pid, hostname(), JSON.stringify(this.tasks.stats())],
    );
  }

  /** Worker processes, freshest heartbeat first. */
  async workers(): Promise<WorkerRow[]> {
    return this.db.query(
      `SELECT id, role, extract(epoch FROM now() - heartbeat_at)::float AS age_s, tasks FROM workers ORDER BY heartbeat_at DESC`,
    );
  }

  private async prune(): Promise<void> {
    await this.db.query(`DELETE FROM workers WHERE heartbeat_at < now() - interval '${FORGET_AFTER}'`);
  }
}
