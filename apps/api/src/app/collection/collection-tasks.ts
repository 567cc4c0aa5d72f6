import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { CLAIM_EVERY_MS, Collector, FLUSH_EVERY_MS } from './collector';
import { FailureLog } from './failure-log';
import { ENQUEUE_EVERY_MS, JobQueue } from './job-queue';
import { WorkerIdentity } from '../scheduler/worker-identity';

/** A lease must have expired this long before its job is re-queued: it shows as stuck_running meanwhile. */
const REAP_GRACE_S = 5;

/**
 * The collection's periodic work in worker processes. Each task is safe in several processes at once
 * (idempotent SQL, `SKIP LOCKED` claims).
 */
@Injectable()
export class CollectionTasks implements OnModuleInit {
  private readonly logger = new Logger(CollectionTasks.name);

  constructor(
    private readonly config: AppConfig,
    private readonly tasks: TaskScheduler,
    private readonly jobs: JobQueue,
    private readonly collector: Collector,
    private readonly failures: FailureLog,
    private readonly identity: WorkerIdentity,
  ) {}

  onModuleInit(): void {
    // Leases of newly monitored targets wait for this run: after a failure it is retried within half a second, not a
    // whole interval later.
    this.tasks.register({
      name: 'sync-poll-leases',
      everyMs: ENQUEUE_EVERY_MS,
      retryAfterFailureMs: 500,
      runsIn: 'worker',
      run: () => this.jobs.syncLeases(),
    });
    this.tasks.register({ name: 'claim-polls', everyMs: CLAIM_EVERY_MS, runsIn: 'worker', run: () => this.collector.claimAndPoll() });
    this.tasks.register({ name: 'flush-results', everyMs: FLUSH_EVERY_MS, runsIn: 'worker', run: () => this.collector.flush() });
    this.tasks.register({ name: 'reap-leases', everyMs: 2500, runsIn: 'worker', run: () => this.reap() });
    this.tasks.register({ name: 'collection-history-prune', everyMs: 60_000, runsIn: 'worker', run: () => this.prune() });
  }

  private async reap(): Promise<void> {
    const { requeued, failed } = await this.jobs.reapExpiredLeases(this.identity.id, REAP_GRACE_S);
    if (requeued + failed > 0) this.logger.warn({ requeued, failed }, 'Recovered jobs of a worker that stopped mid-job');
  }

  private async prune(): Promise<void> {
    await this.jobs.prune(this.config.SEQPULSE_FAILURE_RETENTION_DAYS);
    await this.failures.prune(this.config.SEQPULSE_FAILURE_RETENTION_DAYS);
  }
}
