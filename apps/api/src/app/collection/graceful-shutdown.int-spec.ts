import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { startTestApp, TestApp } from '../../testing/test-app';
import { waitFor } from '../../testing/fleet';
import { monitoredProject } from '../../testing/monitoring-fixture';
import { ServerProcess } from '../../testing/server-process';

const metrics = JSON.stringify({ metrics: { requests_per_sec: 5, latency_p95: 100, error_rate: 0, cpu_usage: 0.2, memory_usage: 0.3 } });
/** The target answers this long after each request, so the stop arrives while the poll is in flight. */
const ANSWER_AFTER_MS = 2_000;

describe('a worker stopped (SIGTERM) in the middle of a poll', () => {
  let api: TestApp;
  let target: Server;
  let worker: ServerProcess | undefined;
  let requests = 0;

  beforeAll(async () => {
    target = createServer((_req, res) => {
      requests++;
      setTimeout(() => res.end(metrics), ANSWER_AFTER_MS);
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    api = await startTestApp({ SEQPULSE_ROLE: 'api', SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' });
  });
  afterAll(async () => {
    await worker?.stop();
    await api.close();
    target.closeAllConnections();
    target.close();
  });

  it('finishes the poll, stores its sample, completes its job and exits 0: nothing is left leased', async () => {
    const { id: projectId } = await monitoredProject(api, `http://127.0.0.1:${(target.address() as AddressInfo).port}/metrics`, 30);
    worker = new ServerProcess('worker', { DATABASE_URL: api.config.DATABASE_URL as string, SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' });
    await worker.start();
    await waitFor('the worker to start a poll', async () => requests >= 1, 45_000, 50);
    const stoppedAt = Date.now();
    await worker.stop();
    expect(await worker.exited).toBe(0);
    // it waited for the answer rather than dropping the poll
    expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(ANSWER_AFTER_MS - 500);

    const { rows: leases } = await api.db.query(
      `SELECT state, locked_by, lease_until, next_slot_at, interval_s FROM poll_leases WHERE project_id = $1`,
      [projectId],
    );
    expect(leases).toHaveLength(1);
    expect(leases[0]).toMatchObject({ state: 'idle', locked_by: null, lease_until: null });
    // the polled slot is the one before the lease's next slot: its sample is stored, the lease moved on
    const polledSlot = new Date(new Date(leases[0].next_slot_at).getTime() - leases[0].interval_s * 1000);
    const { rows: samples } = await api.db.query(`SELECT slot_at FROM samples WHERE project_id = $1`, [projectId]);
    expect(samples.map((s) => new Date(s.slot_at).getTime())).toEqual([polledSlot.getTime()]);
    const { rows: failed } = await api.db.query(`SELECT count(*)::int AS n FROM jobs WHERE project_id = $1`, [projectId]);
    expect(failed[0].n).toBe(0);
    const health = (await api.call('GET', '/health/scheduler')).body;
    expect(health.stuck_running).toBe(0);
  }, 90_000);
});
