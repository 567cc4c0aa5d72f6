import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ADVISORY_LOCKS, AdvisoryLockName } from '../database/advisory-locks';
import type { PeriodicTask, TaskStats } from './interfaces/periodic-task';
import { OperationalMetrics } from '../operational-metrics/operational-metrics';

/** Durations kept per task for its mean (a ring of the latest runs). */
const RECENT_RUNS = 50;
/** How long shutdown waits for runs in flight before it lets the process go. */
const SHUTDOWN_WAIT_MS = 10_000;

interface TaskState {
  task: PeriodicTask;
  timer?: NodeJS.Timeout;
  /** The early retry of a failed run (`retryAfterFailureMs`), while one waits. */
  retry?: NodeJS.Timeout;
  running: Promise<void> | null;
  /** A kick arrived while a run was going: run once more right after it. */
  again: boolean;
  stats: TaskStats;
  recent: number[];
}

/**
 * The one way to run periodic work. A module registers its tasks in `onModuleInit`; the scheduler starts them
 * at bootstrap in the processes whose role runs them, never overlaps two runs of a task in one process, takes
 * the task's advisory lock (one runner across processes) when it has one, logs failures and retries at the next
 * interval, and keeps each task's timing, which the worker heartbeat publishes to `/health/scheduler`.
 */
@Injectable()
export class TaskScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TaskScheduler.name);
  private readonly tasks = new Map<string, TaskState>();
  private started = false;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly registry: SchedulerRegistry,
    private readonly metrics: OperationalMetrics,
  ) {}

  register(task: PeriodicTask): void {
    if (this.tasks.has(task.name)) throw new Error(`Periodic task ${task.name} is registered twice`);
    if (!(task.everyMs > 0)) throw new Error(`Periodic task ${task.name} needs a positive interval`);
    const state: TaskState = {
      task,
      running: null,
      again: false,
      recent: [],
      stats: {
        name: task.name,
        every_ms: task.everyMs,
        runs: 0,
        failures: 0,
        skipped: 0,
        last_started_at: null,
        last_duration_ms: null,
        mean_duration_ms: null,
        max_duration_ms: null,
        last_error: null,
      },
    };
    this.tasks.set(task.name, state);
    if (this.started && this.runsHere(task)) this.start(state);
  }

  /** The tasks this process runs, with their timing. */
  stats(): TaskStats[] {
    return [...this.tasks.values()].filter((s) => this.runsHere(s.task)).map((s) => ({ ...s.stats }));
  }

  async onApplicationBootstrap(): Promise<void> {
    this.started = true;
    const here = [...this.tasks.values()].filter((s) => this.runsHere(s.task));
    // Start-up runs (partitions ahead, first heartbeat) finish before the process serves or polls.
    for (const state of here.filter((s) => s.task.runAtStart)) await this.runOnce(state);
    here.forEach((state) => this.start(state));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const state of this.tasks.values()) this.stop(state);
    const inFlight = [...this.tasks.values()].map((s) => s.running).filter((p): p is Promise<void> => p !== null);
    await Promise.race([Promise.allSettled(inFlight), new Promise((r) => setTimeout(r, SHUTDOWN_WAIT_MS).unref())]);
  }

  /** Runs a registered task now, as its timer would (skipped if it is running here); tests and kicks use it. */
  async runNow(name: string): Promise<void> {
    const state = this.tasks.get(name);
    if (!state) throw new Error(`No periodic task ${name}`);
    await this.runOnce(state);
  }

  /**
   * Asks for a run now, without waiting for the interval (for example the outbox right after an evaluation
   * queued notifications). During a run, one more run follows it; kicks never pile up. Only where the task runs.
   */
  kick(name: string): void {
    const state = this.tasks.get(name);
    if (!state || !this.started || !this.runsHere(state.task)) return;
    if (state.running) state.again = true;
    else void this.runOnce(state);
  }

  private runsHere(task: PeriodicTask): boolean {
    if (task.enabled && !task.enabled(this.config)) return false;
    return task.runsIn === 'every' || this.config.runsWorker;
  }

  /** The timer lives in @nestjs/schedule's registry, under the task's name. */
  private start(state: TaskState): void {
    this.stop(state);
    state.timer = setInterval(() => void this.runOnce(state), state.task.everyMs);
    state.timer.unref();
    this.registry.addInterval(state.task.name, state.timer);
  }

  private stop(state: TaskState): void {
    clearTimeout(state.retry);
    state.retry = undefined;
    if (!state.timer) return;
    if (this.registry.doesExist('interval', state.task.name)) this.registry.deleteInterval(state.task.name);
    else clearInterval(state.timer);
    state.timer = undefined;
  }

  private runOnce(state: TaskState): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (state.running) {
      state.stats.skipped++;
      return state.running;
    }
    state.running = this.execute(state).finally(() => {
      state.running = null;
      if (state.again) {
        state.again = false;
        void this.runOnce(state);
      }
    });
    return state.running;
  }

  private async execute(state: TaskState): Promise<void> {
    const { task, stats } = state;
    const startedAt = new Date();
    const started = performance.now();
    try {
      const ran = task.lock ? await this.withLock(task.lock, () => task.run()) : (await task.run(), true);
      if (!ran) {
        stats.skipped++;
        return;
      }
      stats.last_error = null;
    } catch (error) {
      // The database restarting lands here: logged, and the next interval tries again.
      stats.failures++;
      this.metrics.count('taskFailures', { task: task.name });
      stats.last_error = String((error as Error)?.message ?? error).slice(0, 200);
      this.logger.warn({ task: task.name, err: stats.last_error }, 'Periodic task failed; will retry');
      if (task.retryAfterFailureMs && !state.retry && !this.stopped) {
        state.retry = setTimeout(() => {
          state.retry = undefined;
          this.kick(task.name);
        }, task.retryAfterFailureMs);
        state.retry.unref();
      }
    }
    const exact = performance.now() - started;
    this.metrics.observe('taskDuration', exact / 1000, { task: task.name });
    const duration = Math.round(exact);
    stats.runs++;
    stats.last_started_at = startedAt.toISOString();
    stats.last_duration_ms = duration;
    stats.max_duration_ms = Math.max(stats.max_duration_ms ?? 0, duration);
    state.recent.push(duration);
    if (state.recent.length > RECENT_RUNS) state.recent.shift();
    stats.mean_duration_ms = Math.round((state.recent.reduce((a, b) => a + b, 0) / state.recent.length) * 10) / 10;
  }

  /**
   * Runs `work` while a transaction of its own holds the advisory lock; false when another process holds it.
   * A transaction-scoped lock works through a transaction pooler too (the open transaction keeps its server
   * connection), and a lost connection ends the transaction and frees the lock by itself.
   */
  private async withLock(lock: AdvisoryLockName, work: () => Promise<unknown>): Promise<boolean> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [ADVISORY_LOCKS[lock]]);
      if (locked) await work();
      return locked;
    } finally {
      if (runner.isTransactionActive) await runner.commitTransaction().catch(() => undefined);
      await runner.release();
    }
  }
}
