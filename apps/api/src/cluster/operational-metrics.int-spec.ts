import { createTestDatabase, startTestApp, TestApp, TEST_ADMIN } from '../testing/test-app';
import { DemoFleet, startDemoFleet, waitFor } from '../testing/fleet';
import { PgOutageProxy } from '../testing/pg-outage-proxy';
import { monitoredProject } from '../testing/monitoring-fixture';
import { StreamHub } from '../app/monitoring/stream-hub';
import { OPERATIONAL_METRICS } from '../app/operational-metrics/operational-metrics.catalogue';

/** The value of one sample line of a Prometheus exposition (`name{labels} value`), or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics and the orchestrator probes', () => {
  let t: TestApp;
  let fleet: DemoFleet;
  let admin: string;

  beforeAll(async () => {
    fleet = await startDemoFleet({ port: 0, incidentRules: [] });
    t = await startTestApp({ SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' });
    admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
  });
  afterAll(async () => {
    await t?.close();
    await fleet?.close();
  });

  it('answers administrators only: 401 without a credential, 403 to a member, even from loopback by default', async () => {
    const anonymous = await t.call('GET', '/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('unauthenticated');
    const member = await t.signupAndLogin();
    const refused = await t.call('GET', '/metrics', { token: member.token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('insufficient_scope');
  });

  it('counts real polls, stored samples and task runs, and lists every catalogue instrument', async () => {
    await monitoredProject(t, `${fleet.url}/targets/ops-prod/metrics`);
    const scrape = async () => (await t.call('GET', '/metrics', { token: admin })).text;
    const text = await waitFor(
      'a poll counted and its sample written',
      async () => {
        const body = await scrape();
        return (
          (sample(body, 'seqpulse_polls_total{outcome="ok"}') ?? 0) >= 1 &&
          (sample(body, 'seqpulse_samples_written_total') ?? 0) >= 1 &&
          body
        );
      },
      45_000,
    );
    const response = await t.call('GET', '/metrics', { token: admin });
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const entry of Object.values(OPERATIONAL_METRICS)) expect(text).toContain(`# TYPE ${entry.name} ${entry.kind}`);
    expect(sample(text, 'seqpulse_poll_schedule_lag_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'seqpulse_task_duration_seconds_count{task="claim-polls"}')).toBeGreaterThan(1);
    expect(sample(text, 'seqpulse_db_pool_connections{pool="main",state="total"}')).toBeGreaterThanOrEqual(1);
    // Read from the outbox and the rollup queue at scrape time: present, whatever their value.
    expect(sample(text, 'seqpulse_notification_outbox_pending')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'seqpulse_rollup_pending_minutes')).toBeGreaterThanOrEqual(0);
    // A figure nobody reads here (no DATABASE_READ_URL) is absent, not a plausible 0.
    expect(sample(text, 'seqpulse_db_replica_lag_seconds')).toBeUndefined();
  }, 60_000);

  it('is live and ready while started with its database', async () => {
    expect((await t.call('GET', '/health/live')).body).toEqual({ status: 'ok' });
    const ready = await t.call('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });
});

describe('GET /metrics for a scraper beside the process (SEQPULSE_METRICS_PUBLIC_LOOPBACK=true)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp({ SEQPULSE_METRICS_PUBLIC_LOOPBACK: 'true', SEQPULSE_ROLE: 'api' })));
  afterAll(async () => t?.close());

  it('answers a loopback peer without a credential, but not a request relayed by a proxy', async () => {
    const direct = await t.call('GET', '/metrics');
    expect(direct.status).toBe(200);
    expect(direct.text).toContain('# TYPE seqpulse_open_streams gauge');
    const relayed = await t.call('GET', '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(relayed.status).toBe(401);
  });
});

describe('a worker-only process', () => {
  let worker: TestApp;
  beforeAll(async () => (worker = await startTestApp({ SEQPULSE_ROLE: 'worker', SEQPULSE_METRICS_PUBLIC_LOOPBACK: 'true' })));
  afterAll(async () => worker?.close());

  it('serves its probes and metrics and nothing of the API', async () => {
    expect((await worker.call('GET', '/health/ready')).status).toBe(200);
    expect((await worker.call('GET', '/metrics')).status).toBe(200);
    const api = await worker.call('GET', '/projects');
    expect(api.status).toBe(404);
    expect(api.body.code).toBe('not_found');
    expect((await worker.call('POST', '/auth/login', { body: { email: TEST_ADMIN.email, password: TEST_ADMIN.password } })).status).toBe(
      404,
    );
  });
});

describe('the database going away and coming back', () => {
  let t: TestApp;
  let proxy: PgOutageProxy;

  beforeAll(async () => {
    const direct = await createTestDatabase();
    proxy = new PgOutageProxy(Number(new URL(direct).port));
    await proxy.start();
    t = await startTestApp({ SEQPULSE_ROLE: 'api', SEQPULSE_METRICS_PUBLIC_LOOPBACK: 'true' }, { databaseUrl: proxy.route(direct) });
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.down().catch(() => undefined);
  });

  it('is not ready without it, stays live, and counts the listener’s reconnect', async () => {
    await t.app.get(StreamHub).ready;
    await proxy.down();
    const notReady = await t.call('GET', '/health/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.body).toEqual({ status: 'not_ready', reason: 'database_unavailable' });
    expect((await t.call('GET', '/health/live')).status).toBe(200);
    await proxy.up();
    await waitFor('ready again', async () => (await t.call('GET', '/health/ready')).status === 200, 20_000);
    await waitFor(
      'the LISTEN session re-established and counted',
      async () => (sample((await t.call('GET', '/metrics')).text, 'seqpulse_db_reconnects_total{session="listen"}') ?? 0) >= 1,
      30_000,
    );
  }, 60_000);
});
