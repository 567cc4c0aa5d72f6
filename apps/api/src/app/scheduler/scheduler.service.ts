import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { SamplesStore } from '../samples/samples.store';
import { Collector } from '../collection/collector';
import { FailureLog } from '../collection/failure-log';
import { JobQueue } from './job-queue';
import { WorkerIdentity } from './worker-identity';

const MAINTENANCE_LOCK = 7_301_003;
/** Partitions exist this many days ahead, so a write never waits for DDL. */
const PARTITIONS_AHEAD_DAYS = 7;
/** A lease must have expired this long before its job is re-queued: it shows as stuck_running meanwhile. */
const REAP_GRACE_S = 5;

/**
 * The ticks of a worker process (@nestjs/schedule). Each does nothing in an API-only process, and
 * each is safe to run in several processes at once (idempotent SQL, SKIP LOCKED or an advisory lock).
 */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SchedulerService.name);
  private stopped = false;
  private readonly busy = new Set<string>();

  constructor(
    private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly collector: Collector,
    private readonly store: SamplesStore,
    private readonly failures: FailureLog,
    private readonly identity: WorkerIdentity,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.runsWorker) return;
    await this.maintenance();
    await this.heartbeat();
    this.logger.log({ worker: this.identity.id }, 'Collector worker started');
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
  }

  @Interval('enqueue-polls', 1000)
  enqueueTick(): Promise<void> {
    return this.once('enqueue', async () => {
      await this.jobs.enqueueDuePolls();
      await this.jobs.cancelUnmonitored();
    });
  }

  @Interval('claim-polls', 100)
  claimTick(): Promise<void> {
    return this.once('claim', async () => void (await this.collector.claimAndPoll()));
  }

  @Interval('flush-results', 100)
  flushTick(): Promise<void> {
    return this.once('flush', () => this.collector.flush());
  }

  @Interval('reap-leases', 2500)
  reapTick(): Promise<void> {
    return this.once('reap', async () => {
      const { requeued, failed } = await this.jobs.reapExpiredLeases(REAP_GRACE_S);
      if (requeued + failed > 0) this.logger.warn({ requeued, failed }, 'Recovered jobs of a worker that stopped mid-job');
      const missed = await this.jobs.expireMissedSlots(this.collector.maxSlotAgeS);
      if (missed > 0) this.logger.warn({ missed }, 'Poll slots missed: no worker polled them in time');
    });
  }

  @Interval('heartbeat', 5000)
  heartbeatTick(): Promise<void> {
    return this.once('heartbeat', () => this.heartbeat());
  }

  @Interval('maintenance', 60_000)
  maintenanceTick(): Promise<void> {
    return this.once('maintenance', () => this.maintenance());
  }

  private async heartbeat(): Promise<void> {
    await this.db.query(
      `INSERT INTO workers (id, role, pid, host) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
      [this.identity.id, this.config.SEQPULSE_ROLE, process.pid, hostname()],
    );
  }

  /** Partitions ahead, retention, history pruning: one process at a time (advisory lock). */
  private async maintenance(): Promise<void> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [MAINTENANCE_LOCK]);
      if (!locked) return;
      try {
        const now = new Date();
        await this.store.ensurePartitions(
          new Date(now.getTime() - 86_400_000),
          new Date(now.getTime() + PARTITIONS_AHEAD_DAYS * 86_400_000),
        );
        await this.store.dropExpired(this.config.SEQPULSE_RETENTION_DAYS, now);
        await this.jobs.prune(this.config.SEQPULSE_FAILURE_RETENTION_DAYS);
        await this.failures.prune(this.config.SEQPULSE_FAILURE_RETENTION_DAYS);
        await runner.query(`DELETE FROM workers WHERE heartbeat_at < now() - interval '1 hour'`);
        await runner.query(`DELETE FROM analysis_runs WHERE started_at < now() - interval '1 day'`);
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [MAINTENANCE_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  /** Runs a tick unless this process is API-only, stopping, or the previous run of the same tick is still going. */
  private async once(name: string, work: () => Promise<void>): Promise<void> {
    if (!this.config.runsWorker || this.stopped || this.busy.has(name)) return;
    this.busy.add(name);
    try {
      await work();
    } catch (error) {
      // The database restarting lands here: log, and the next tick tries again.
      this.logger.warn({ tick: name, err: (error as Error).message }, 'Scheduler tick failed; will retry');
    } finally {
      this.busy.delete(name);
    }
  }
}
