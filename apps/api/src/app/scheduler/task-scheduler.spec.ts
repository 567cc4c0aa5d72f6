import { SchedulerRegistry } from '@nestjs/schedule';
import { loadConfig } from '../config/app-config';
import { OperationalMetrics } from '../operational-metrics/operational-metrics';
import { TaskScheduler } from './task-scheduler';

/** A run that ends when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

function scheduler(role: 'all' | 'api' | 'worker' = 'all', metrics = new OperationalMetrics()) {
  const config = loadConfig({ SEQPULSE_ROLE: role, SEQPULSE_DEMO: 'false', DATABASE_URL: 'postgres://unused/db' });
  // No database: these tasks take no lock.
  return new TaskScheduler(config, undefined as never, new SchedulerRegistry(), metrics);
}

describe('TaskScheduler', () => {
  it('publishes each run’s duration and each failure to /metrics, by task', async () => {
    const metrics = new OperationalMetrics();
    const tasks = scheduler('all', metrics);
    tasks.register({ name: 'steady', everyMs: 60_000, runsIn: 'worker', run: async () => undefined });
    tasks.register({ name: 'failing', everyMs: 60_000, runsIn: 'worker', run: () => Promise.reject(new Error('down')) });
    await tasks.onApplicationBootstrap();
    await tasks.runNow('steady');
    await tasks.runNow('steady');
    await tasks.runNow('failing');
    const { body } = await metrics.exposition();
    expect(body).toContain('seqpulse_task_duration_seconds_count{task="steady"} 2');
    expect(body).toContain('seqpulse_task_duration_seconds_count{task="failing"} 1');
    expect(body).toContain('seqpulse_task_failures_total{task="failing"} 1');
    expect(body).not.toContain('seqpulse_task_failures_total{task="steady"}');
    await tasks.beforeApplicationShutdown();
  });

  it('never overlaps two runs of a task, counts the skipped one, and times each run', async () => {
    const tasks = scheduler();
    const g = gate();
    let runs = 0;
    tasks.register({ name: 'slow', everyMs: 60_000, runsIn: 'worker', run: () => (runs++, g.opened) });
    await tasks.onApplicationBootstrap();
    const first = tasks.runNow('slow');
    const second = tasks.runNow('slow');
    g.open();
    await Promise.all([first, second]);
    expect(runs).toBe(1);
    const [stats] = tasks.stats();
    expect(stats).toMatchObject({ name: 'slow', runs: 1, skipped: 1, failures: 0, every_ms: 60_000 });
    expect(stats.last_started_at).not.toBeNull();
    expect(stats.mean_duration_ms).toBe(stats.last_duration_ms);
    await tasks.beforeApplicationShutdown();
  });

  it('a kick during a run asks for exactly one more run after it', async () => {
    const tasks = scheduler();
    const gates = [gate(), gate()];
    let runs = 0;
    tasks.register({ name: 'outbox', everyMs: 60_000, runsIn: 'worker', run: () => gates[runs++]?.opened ?? Promise.resolve() });
    await tasks.onApplicationBootstrap();
    tasks.kick('outbox');
    tasks.kick('outbox');
    tasks.kick('outbox');
    gates[0].open();
    await new Promise((r) => setTimeout(r, 10));
    expect(runs).toBe(2);
    gates[1].open();
    await new Promise((r) => setTimeout(r, 10));
    expect(runs).toBe(2);
    await tasks.beforeApplicationShutdown();
  });

  it('logs a failure, keeps its message and runs again next time', async () => {
    const tasks = scheduler();
    let calls = 0;
    tasks.register({
      name: 'flaky',
      everyMs: 60_000,
      runsIn: 'worker',
      run: async () => {
        if (++calls === 1) throw new Error('connection terminated');
      },
    });
    await tasks.onApplicationBootstrap();
    await tasks.runNow('flaky');
    expect(tasks.stats()[0]).toMatchObject({ runs: 1, failures: 1, last_error: 'connection terminated' });
    await tasks.runNow('flaky');
    expect(tasks.stats()[0]).toMatchObject({ runs: 2, failures: 1, last_error: null });
    await tasks.beforeApplicationShutdown();
  });

  it('tries a failed run again after retryAfterFailureMs, not a whole interval later, and only once per failure', async () => {
    const tasks = scheduler();
    let calls = 0;
    tasks.register({
      name: 'enqueue',
      everyMs: 60_000,
      retryAfterFailureMs: 20,
      runsIn: 'worker',
      run: async () => {
        if (++calls <= 2) throw new Error('database unavailable');
      },
    });
    await tasks.onApplicationBootstrap();
    await tasks.runNow('enqueue');
    expect(calls).toBe(1);
    await new Promise((r) => setTimeout(r, 150));
    expect(calls).toBe(3); // failed again once, then succeeded: no retry after a success
    expect(tasks.stats()[0]).toMatchObject({ runs: 3, failures: 2, last_error: null });
    await tasks.beforeApplicationShutdown();
  });

  it('runs worker tasks only where the role runs workers, and skips disabled tasks', async () => {
    const api = scheduler('api');
    api.register({ name: 'claim', everyMs: 100, runsIn: 'worker', run: async () => undefined });
    api.register({ name: 'flush-buffer', everyMs: 100, runsIn: 'every', run: async () => undefined });
    api.register({ name: 'off', everyMs: 100, runsIn: 'every', enabled: () => false, run: async () => undefined });
    expect(api.stats().map((s) => s.name)).toEqual(['flush-buffer']);
    const worker = scheduler('worker');
    worker.register({ name: 'claim', everyMs: 100, runsIn: 'worker', run: async () => undefined });
    expect(worker.stats().map((s) => s.name)).toEqual(['claim']);
  });

  it('starts the interval at bootstrap and stops it at shutdown', async () => {
    const tasks = scheduler();
    let runs = 0;
    tasks.register({ name: 'tick', everyMs: 5, runsIn: 'every', runAtStart: true, run: async () => void runs++ });
    await tasks.onApplicationBootstrap();
    expect(runs).toBe(1); // the start-up run finished before bootstrap returned
    await new Promise((r) => setTimeout(r, 60));
    await tasks.beforeApplicationShutdown();
    const afterStop = runs;
    expect(afterStop).toBeGreaterThan(2);
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toBe(afterStop);
  });

  it('refuses a second task of the same name', () => {
    const tasks = scheduler();
    tasks.register({ name: 'x', everyMs: 1, runsIn: 'every', run: async () => undefined });
    expect(() => tasks.register({ name: 'x', everyMs: 1, runsIn: 'every', run: async () => undefined })).toThrow(/twice/);
  });
});
