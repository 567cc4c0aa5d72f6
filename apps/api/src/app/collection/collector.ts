import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { MAX_COLLECTION_LAG_S, SamplesStore, NewSample } from '../samples/samples.store';
import { ClaimedJob, JobOutcome, JobQueue } from './job-queue';
import { WorkerIdentity } from '../scheduler/worker-identity';
import { CollectionFailure, FailureLog } from './failure-log';
import { Poller, pollUrl } from './poller';
import { TargetAddressPolicy } from '../target-address/target-address.policy';
import { TargetDirectory } from './target-directory';
import { startGroups } from './poll-start';
import { OperationalMetrics } from '../operational-metrics/operational-metrics';

/** Most jobs one claim takes; smaller batches spread a burst of due slots over several ticks. */
const MAX_CLAIM_BATCH = 500;
/**
 * The claim tick's interval; each claim takes the slots due before the next tick (and a margin for its jitter), and
 * each poll still starts at its slot (on the 250 ms start grid). Once a second rather than twice: every statement is
 * a round trip that costs both processes a socket write and a wake-up, and on the vs-Prometheus fleet (1,000 targets)
 * the collector's statements were ~24 a second (`docs/performance.md`, "Fourth round").
 */
export const CLAIM_EVERY_MS = 1000;
const CLAIM_AHEAD_MS = CLAIM_EVERY_MS + 100;
/**
 * The flush tick's interval: samples reach the store (and the alerts and live streams) within this of their poll.
 * Two of the 250 ms start grid's bursts per flush (two statements each: samples, slot outcomes); the freshness and
 * alert-latency targets (< 1 s, < 2 s) keep their margin.
 */
export const FLUSH_EVERY_MS = 500;
/** Flush early once this many results wait. */
const FLUSH_AT = 500;
/** While Postgres is unreachable, results wait in memory up to this many; older ones are dropped (and counted). */
const MAX_BUFFERED = 200_000;

/** The slot an outcome finishes: the lease's (project, env) at its slot, and which attempt it was. */
function slotOf(job: ClaimedJob): Pick<JobOutcome, 'projectId' | 'env' | 'slotAt' | 'attempt'> {
  return { projectId: job.projectId, env: job.env, slotAt: job.slotAt, attempt: job.attempts };
}

/**
 * Claims due poll jobs, polls targets concurrently (bounded), and writes results in batches: samples, failures and
 * job outcomes in one transaction (a large backlog: one after the other, samples first, so a crash between them
 * only re-polls).
 */
/** How late after its slot a poll may still start: its answer must arrive within the store's lag bound. */
export function maxSlotAgeS(pollTimeoutMs: number): number {
  return MAX_COLLECTION_LAG_S - Math.ceil(pollTimeoutMs / 1000) - 2;
}

@Injectable()
export class Collector implements BeforeApplicationShutdown {
  private readonly logger = new Logger(Collector.name);
  private readonly poller: Poller;
  private inFlight = 0;
  private claiming = false;
  private flushing = false;
  private stopped = false;
  private samples: NewSample[] = [];
  private failures: CollectionFailure[] = [];
  private outcomes: JobOutcome[] = [];
  private droppedWhileDown = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly store: SamplesStore,
    private readonly directory: TargetDirectory,
    private readonly failureLog: FailureLog,
    private readonly identity: WorkerIdentity,
    targets: TargetAddressPolicy,
    private readonly metrics: OperationalMetrics,
  ) {
    metrics.gauge('pollsInFlight', () => this.inFlight);
    this.poller = new Poller({
      timeoutMs: config.SEQPULSE_POLL_TIMEOUT_MS,
      maxBytes: config.SEQPULSE_POLL_MAX_BYTES,
      targets,
    });
  }

  get pollsInFlight(): number {
    return this.inFlight;
  }

  get maxSlotAgeS(): number {
    return maxSlotAgeS(this.config.SEQPULSE_POLL_TIMEOUT_MS);
  }

  /** One claim tick: moves late leases on, takes as many due slots as free concurrency allows and starts them. */
  async claimAndPoll(): Promise<number> {
    if (this.claiming || this.stopped) return 0;
    this.claiming = true;
    let started = 0;
    try {
      const free = Math.min(this.config.SEQPULSE_POLL_CONCURRENCY - this.inFlight, MAX_CLAIM_BATCH);
      const claim = (limit: number) =>
        this.jobs.claim(this.identity.id, limit, this.config.SEQPULSE_JOB_LEASE_S, this.maxSlotAgeS, CLAIM_AHEAD_MS);
      const first = await claim(free);
      started += this.startPolls(first.jobs);
      if (first.lateLeases) {
        // A lease left on a slot too old to poll (a database outage, a backlog, a worker that stopped) would hold back
        // its target's slots that can still be polled: it moves to its first fresh slot, the skipped ones failing as
        // `missed:`, and the claim runs again for what that made due. The claim says when there is one, so the
        // scan costs no round trip of its own in steady state (it was one a second).
        const missed = await this.jobs.expireMissedSlots(this.maxSlotAgeS);
        if (missed > 0) this.logger.warn({ missed }, 'Poll slots missed: no worker polled them in time');
        started += this.startPolls((await claim(free - started)).jobs);
      }
      return started;
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, 'Could not claim jobs (database unavailable?); retrying');
      return started;
    } finally {
      this.claiming = false;
    }
  }

  /** Starts each claimed poll at its time on the 250 ms start grid; returns how many. */
  private startPolls(claimed: ClaimedJob[]): number {
    this.inFlight += claimed.length;
    for (const [wait, jobs] of startGroups(claimed, Date.now(), CLAIM_AHEAD_MS)) {
      const start = () => {
        for (const job of jobs) void this.run(job).finally(() => this.inFlight--);
      };
      if (wait > 0) setTimeout(start, wait);
      else start();
    }
    return claimed.length;
  }

  private async run(job: ClaimedJob): Promise<void> {
    const lagMs = Math.max(0, Date.now() - job.slotAt.getTime());
    this.metrics.observe('pollLag', lagMs / 1000);
    let project;
    try {
      project = await this.directory.get(job.projectId);
    } catch {
      // Database trouble while loading settings: try the job again rather than drop it.
      this.outcomes.push({
        ...slotOf(job),
        ok: false,
        durationMs: 0,
        lagMs,
        error: 'settings_unavailable',
        retryAt: new Date(Date.now() + 1000),
      });
      return;
    }
    if (!project) {
      // Left the plan or the rollout between enqueue and claim: not polled, not retried.
      this.outcomes.push({ ...slotOf(job), ok: false, durationMs: 0, lagMs, error: 'not_monitored' });
      return;
    }
    if (project.secretUnreadable) {
      this.failures.push({
        projectId: job.projectId,
        env: job.env,
        slotAt: job.slotAt,
        reason: 'configuration_error',
        detail: { message: 'HMAC secret unreadable by this worker (SEQPULSE_SECRET_KEY differs)', attempt: job.attempts },
      });
      this.outcomes.push({ ...slotOf(job), ok: false, durationMs: 0, lagMs, error: 'configuration_error' });
      this.metrics.count('polls', { outcome: 'configuration_error' });
      return;
    }
    const result = await this.poller.poll({
      projectId: job.projectId,
      env: job.env,
      url: pollUrl(project.endpoint, job.env),
      hmacSecret: project.hmacSecret,
    });
    this.metrics.count('polls', { outcome: result.ok ? 'ok' : result.reason });
    this.metrics.observe('pollDuration', result.durationMs / 1000);
    if (result.ok) {
      this.samples.push({
        projectId: job.projectId,
        env: job.env,
        slotAt: job.slotAt,
        collectedAt: result.collectedAt,
        values: result.values,
      });
      this.outcomes.push({ ...slotOf(job), ok: true, durationMs: result.durationMs, lagMs });
    } else {
      this.failures.push({
        projectId: job.projectId,
        env: job.env,
        slotAt: job.slotAt,
        reason: result.reason,
        detail: { ...result.detail, attempt: job.attempts },
      });
      this.outcomes.push({
        ...slotOf(job),
        ok: false,
        durationMs: result.durationMs,
        lagMs,
        error: result.reason,
        retryAt: this.retryTime(job, project.intervalS),
      });
    }
    if (this.samples.length + this.outcomes.length >= FLUSH_AT) void this.flush();
  }

  /** Bounded exponential backoff (1 s, 2 s, …), only while the retry can finish before the next slot. */
  private retryTime(job: ClaimedJob, intervalS: number): Date | undefined {
    if (job.attempts >= job.maxAttempts) return undefined;
    const retryAt = Date.now() + 1000 * 2 ** (job.attempts - 1);
    return retryAt + this.config.SEQPULSE_POLL_TIMEOUT_MS < job.slotAt.getTime() + intervalS * 1000 ? new Date(retryAt) : undefined;
  }

  /** Writes what the polls produced. If Postgres is down, everything stays buffered for the next flush. */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    const samples = this.samples.splice(0);
    const failures = this.failures.splice(0);
    const outcomes = this.outcomes.splice(0);
    try {
      // One round trip and one commit for the whole flush (the samples, the failed polls, the slots' outcomes): it
      // was one per statement, each a wake-up of both processes (docs/performance.md, "Ninth round").
      const alongside = [this.failureLog.recording(failures), this.jobs.completion(this.identity.id, outcomes)];
      await this.store.insertBatchWith(
        samples,
        alongside.filter((statement) => statement !== null),
      );
    } catch (error) {
      this.metrics.count('storeWriteFailures');
      this.requeue(samples, failures, outcomes);
      this.logger.warn(
        { err: (error as Error).message, buffered: this.samples.length },
        'Could not write poll results; keeping them for the next flush',
      );
    } finally {
      this.flushing = false;
    }
  }

  private requeue(samples: NewSample[], failures: CollectionFailure[], outcomes: JobOutcome[]): void {
    this.samples.unshift(...samples);
    this.failures.unshift(...failures);
    this.outcomes.unshift(...outcomes);
    const excess = this.samples.length - MAX_BUFFERED;
    if (excess > 0) {
      this.samples.splice(0, excess);
      this.droppedWhileDown += excess;
      this.metrics.count('samplesDropped', {}, excess);
      this.logger.error({ dropped: this.droppedWhileDown }, 'Dropped buffered samples: the database has been unavailable too long');
    }
    if (this.failures.length > MAX_BUFFERED) this.failures.splice(0, this.failures.length - MAX_BUFFERED);
    if (this.outcomes.length > MAX_BUFFERED) this.outcomes.splice(0, this.outcomes.length - MAX_BUFFERED);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    const deadline = Date.now() + this.config.SEQPULSE_POLL_TIMEOUT_MS + 1000;
    while (this.inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await this.flush().catch(() => undefined);
    await this.poller.close().catch(() => undefined);
  }
}
