import { createTestDatabase, startTestApp, TestApp } from '../testing/test-app';
import { monitoredProject } from '../testing/monitoring-fixture';
import { DemoFleet, startDemoFleet, waitFor } from '../testing/fleet';
import { PgBouncer, PGBOUNCER_BINARY, pgbouncerInstalled } from '../testing/pgbouncer';
import { openStream } from '../testing/sse-client';
import { StreamHub } from '../app/monitoring/stream-hub';
import { TaskScheduler } from '../app/scheduler/task-scheduler';

/**
 * The usual production set-up: every pool through PgBouncer in transaction mode (DATABASE_POOL_MODE=transaction),
 * LISTEN on a direct session (DATABASE_SESSION_URL). Two processes share the database, as in a cluster.
 */
describe('SeqPulse behind PgBouncer in transaction mode', () => {
  let bouncer: PgBouncer;
  let fleet: DemoFleet;
  let all: TestApp;
  let api: TestApp;
  let projectId: string;
  let token: string;

  beforeAll(async () => {
    if (!pgbouncerInstalled()) throw new Error(`${PGBOUNCER_BINARY} missing: apt-get install pgbouncer (npm test installs it as root)`);
    const direct = await createTestDatabase();
    bouncer = new PgBouncer(new URL(direct));
    await bouncer.start();
    fleet = await startDemoFleet({ port: 0, incidentRules: [] });
    const env = { DATABASE_POOL_MODE: 'transaction', DATABASE_SESSION_URL: direct, SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' };
    // Migrations run through the pooler too, under their transaction-scoped lock, with both processes starting at once.
    [all, api] = await Promise.all([
      startTestApp(env, { databaseUrl: bouncer.route(direct) }),
      startTestApp({ ...env, SEQPULSE_ROLE: 'api' }, { databaseUrl: bouncer.route(direct) }),
    ]);
    ({ id: projectId, ownerToken: token } = await monitoredProject(all, `${fleet.url}/targets/pooled-prod/metrics`));
    await api.app.get(StreamHub).ready;
  }, 90_000);
  afterAll(async () => {
    await api?.close();
    await all?.close();
    await fleet?.close();
    await bouncer?.stop();
  });

  it('collects, and serves the time series from the other process (unnamed statements, no startup options)', async () => {
    await waitFor(
      'two stored samples',
      async () => {
        const { rows } = await all.db.query(`SELECT count(*)::int AS n FROM samples WHERE project_id = $1`, [projectId]);
        return rows[0].n >= 2;
      },
      45_000,
    );
    for (let i = 0; i < 3; i++) {
      // Repeated: a named statement would be missing on the next server connection.
      const res = await api.call('GET', `/monitoring/enterprise/timeseries?project_id=${projectId}&env=prod&step=15s`, { token });
      expect(res.status).toBe(200);
      expect(res.body.series.error_rate.filter((p: { v: number | null }) => p.v !== null).length).toBeGreaterThanOrEqual(2);
    }
  }, 60_000);

  it('delivers live samples on the stream through the direct LISTEN session', async () => {
    const stream = await openStream(`${api.url}/monitoring/enterprise/stream?project_id=${projectId}`, {
      authorization: `Bearer ${token}`,
    });
    expect(stream.res.status).toBe(200);
    await stream.waitFor((events) => events.some((e) => e.event === 'sample'), 20_000);
    await stream.close();
  }, 30_000);

  it('keeps a single-runner task to one process at a time (transaction-scoped advisory lock through the pooler)', async () => {
    let running = 0;
    let most = 0;
    let runs = 0;
    for (const t of [all, api]) {
      t.app.get(TaskScheduler).register({
        name: 'pooled-lock-probe',
        everyMs: 3_600_000,
        runsIn: 'every',
        lock: 'demoDeployments',
        run: async () => {
          runs++;
          most = Math.max(most, ++running);
          await new Promise((r) => setTimeout(r, 500));
          running--;
        },
      });
    }
    await Promise.all([all, api].map((t) => t.app.get(TaskScheduler).runNow('pooled-lock-probe')));
    expect(runs).toBe(1);
    expect(most).toBe(1);
    const skipped = [all, api].map(
      (t) =>
        t.app
          .get(TaskScheduler)
          .stats()
          .find((s) => s.name === 'pooled-lock-probe')?.skipped,
    );
    expect(skipped.sort()).toEqual([0, 1]);
    // Released at commit: the next run takes it again.
    await all.app.get(TaskScheduler).runNow('pooled-lock-probe');
    expect(runs).toBe(2);
  });

  it('reports the scheduler healthy', async () => {
    const health = await waitFor(
      'scheduler ok',
      async () => {
        const res = await all.call('GET', '/health/scheduler');
        return res.body?.status === 'ok' && res.body;
      },
      30_000,
    );
    expect(health.status).toBe('ok');
  }, 40_000);
});
