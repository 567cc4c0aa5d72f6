import { ChildProcess, spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, startTestApp, TestApp, TEST_ADMIN } from '../../testing/test-app';
import { DemoFleet, startDemoFleet, waitFor } from '../../testing/fleet';
import { PgOutageProxy } from '../../testing/pg-outage-proxy';
import { monitoredProject } from '../../testing/monitoring-fixture';

const MAIN = resolve(__dirname, '../../../../../dist/apps/api/main.js');
const metrics = JSON.stringify({ metrics: { requests_per_sec: 5, latency_p95: 100, error_rate: 0, cpu_usage: 0.2, memory_usage: 0.3 } });

describe('a worker killed in the middle of a job', () => {
  let api: TestApp;
  let target: Server;
  let worker: ChildProcess | undefined;
  let survivor: TestApp | undefined;
  let requests = 0;

  beforeAll(async () => {
    // The first poll hangs (the worker will die holding it); later polls answer at once.
    target = createServer((_req, res) => {
      requests++;
      if (requests > 1) res.end(metrics);
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    api = await startTestApp({ SEQPULSE_ROLE: 'api', SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true', SEQPULSE_JOB_LEASE_S: '3' });
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await survivor?.close();
    await api.close();
    target.closeAllConnections();
    target.close();
  });

  it('shows up as stuck_running, and its job is picked up again by another worker', async () => {
    const { id: projectId } = await monitoredProject(api, `http://127.0.0.1:${(target.address() as AddressInfo).port}/metrics`, 30);
    worker = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: api.config.DATABASE_URL,
        SEQPULSE_ROLE: 'worker',
        SEQPULSE_DEMO: 'false',
        SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true',
        SEQPULSE_JOB_LEASE_S: '3',
        SEQPULSE_POLL_TIMEOUT_MS: '30000',
        SEQPULSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'seqpulse-worker-')),
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    await waitFor('the worker to start the first poll', async () => requests >= 1, 45_000, 100);
    worker.kill('SIGKILL');

    const stuck = await waitFor(
      'stuck_running in /health/scheduler',
      async () => {
        const health = (await api.call('GET', '/health/scheduler')).body;
        return health.stuck_running >= 1 && health;
      },
      15_000,
    );
    expect(stuck.status).toBe('degraded');
    expect(stuck.jobs.running).toBeGreaterThanOrEqual(1);

    survivor = await startTestApp(
      { SEQPULSE_ROLE: 'worker', SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true', SEQPULSE_JOB_LEASE_S: '3' },
      { databaseUrl: api.config.DATABASE_URL },
    );
    // The slot the dead worker held: its lease is still running, past its lease.
    const {
      rows: [held],
    } = await api.db.query(`SELECT next_slot_at, attempts FROM poll_leases WHERE project_id = $1 AND state = 'running'`, [projectId]);
    expect(held.attempts).toBe(1);
    const slotAt = new Date(held.next_slot_at);
    const { rows } = await waitFor(
      "the dead worker's slot to be polled again and stored",
      async () => {
        const found = await api.db.query(`SELECT count(*)::int AS n FROM samples WHERE project_id = $1 AND slot_at = $2`, [
          projectId,
          slotAt,
        ]);
        return found.rows[0].n > 0 && found;
      },
      20_000,
    );
    expect(rows[0].n).toBe(1);
    const { rows: failed } = await api.db.query(`SELECT count(*)::int AS n FROM jobs WHERE project_id = $1`, [projectId]);
    expect(failed[0].n).toBe(0);
    const health = (await api.call('GET', '/health/scheduler')).body;
    expect(health.stuck_running).toBe(0);
    expect(health.requeued_last_15m).toBeGreaterThanOrEqual(1);
  }, 90_000);
});

describe('the database restarting under the collector', () => {
  let t: TestApp;
  let proxy: PgOutageProxy;
  let fleet: DemoFleet;

  beforeAll(async () => {
    fleet = await startDemoFleet({ port: 0, incidentRules: [] });
    const direct = await createTestDatabase();
    proxy = new PgOutageProxy(Number(new URL(direct).port));
    await proxy.start();
    t = await startTestApp({ SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' }, { databaseUrl: proxy.route(direct) });
  });
  afterAll(async () => {
    await t.close();
    await proxy.down().catch(() => undefined);
    await fleet.close();
  });

  it('loses at most the polls that fell in the outage and resumes by itself', async () => {
    const { id: projectId } = await monitoredProject(t, `${fleet.url}/targets/restart-prod/metrics`);
    const slots = async () =>
      (await t.db.query(`SELECT slot_at FROM samples WHERE project_id = $1 ORDER BY slot_at`, [projectId])).rows.map((r) =>
        new Date(r.slot_at).getTime(),
      );
    await waitFor('two samples before the outage', async () => (await slots()).length >= 2, 45_000);

    await proxy.down();
    const outageStart = Date.now();
    await new Promise((r) => setTimeout(r, 1000));
    expect((await t.call('GET', '/health')).status).toBe(503);
    await new Promise((r) => setTimeout(r, 19_000));
    await proxy.up();
    const outageEnd = Date.now();

    await waitFor('/health ok again', async () => (await t.call('GET', '/health')).status === 200, 20_000);
    const resumed = await waitFor(
      'two samples after the outage',
      async () => {
        const after = (await slots()).filter((s) => s > outageEnd);
        return after.length >= 2 && after;
      },
      60_000,
    );
    expect(resumed.length).toBeGreaterThanOrEqual(2);

    // Every slot outside the outage has its sample; only slots inside it may be missing.
    const all = await slots();
    const interval = 15_000;
    const outsideOutage: number[] = [];
    for (let s = all[0]; s <= all[all.length - 1]; s += interval) {
      if (s < outageStart - interval || s > outageEnd) outsideOutage.push(s);
    }
    expect(outsideOutage.length).toBeGreaterThan(0);
    expect(outsideOutage.filter((s) => !all.includes(s))).toEqual([]);
    const missing = (all[all.length - 1] - all[0]) / interval + 1 - all.length;
    expect(missing).toBeLessThanOrEqual(Math.ceil((outageEnd - outageStart) / interval) + 1);
  }, 150_000);
});
