import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { startTestApp, TestApp, TEST_ADMIN } from '../../testing/test-app';
import { DemoFleet, fleetControl, fleetRequestCount, startDemoFleet, waitFor } from '../../testing/fleet';
import { ENQUEUE_EVERY_MS } from './job-queue';

/**
 * The collector end to end: the real scheduler ticks, real HTTP targets (the demo fleet and small
 * purpose-built servers), a real Postgres. Poll interval is the product's 15 s, so each phase waits a cycle.
 */
describe('realtime collection', () => {
  const secret = 'checkout-hmac-secret-for-tests-0123456789';
  let fleet: DemoFleet;
  let oversized: Server;
  let t: TestApp;
  let member: string;
  let admin: string;
  const ids: Record<string, string> = {};

  async function project(
    name: string,
    endpoint: string,
    options: { envs?: string[]; plan?: string; pilot?: boolean; hmac?: boolean } = {},
  ): Promise<string> {
    const created = await t.call('POST', '/projects', {
      token: member,
      body: { name, envs: ['prod'], metrics_endpoint: endpoint, hmac_enabled: options.hmac ?? false },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    if (options.plan) await t.call('PUT', `/admin/projects/${id}/plan`, { token: admin, body: { plan: options.plan } });
    if (options.envs) await t.call('PATCH', `/projects/${id}`, { token: member, body: { envs: options.envs } });
    if (options.hmac) fleet.setSecret(`${name}-prod`, created.body.hmac_secret);
    ids[name] = id;
    return id;
  }

  beforeAll(async () => {
    fleet = await startDemoFleet({ port: 0, incidentRules: [], outageHoldMs: 60_000 });
    oversized = createServer((_req, res) => res.end(JSON.stringify({ metrics: {}, pad: 'x'.repeat(200_000) })));
    await new Promise<void>((r) => oversized.listen(0, '127.0.0.1', r));
    t = await startTestApp({ SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true', SEQPULSE_POLL_TIMEOUT_MS: '1500', SEQPULSE_POLL_MAX_BYTES: '65536' });
    member = (await t.signupAndLogin()).token;
    admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
    const f = fleet.url;
    await project('checkout', `${f}/targets/checkout-{env}/metrics`, { plan: 'enterprise', envs: ['prod', 'staging'], hmac: true });
    fleet.setSecret('checkout-staging', undefined as never);
    await project('garbage', `${f}/targets/garbage-prod/metrics`, { plan: 'enterprise' });
    await project('badmetric', `${f}/targets/badmetric-prod/metrics`, { plan: 'enterprise' });
    await project('status', `${f}/targets/status-prod/metrics`, { plan: 'enterprise' });
    await project('hang', `${f}/targets/hang-prod/metrics`, { plan: 'enterprise' });
    await project('wrongsecret', `${f}/targets/wrongsecret-prod/metrics`, { plan: 'enterprise', hmac: true });
    await project('refused', `http://127.0.0.1:1/metrics`, { plan: 'enterprise' });
    await project('big', `http://127.0.0.1:${(oversized.address() as AddressInfo).port}/metrics`, { plan: 'enterprise' });
    await project('metadata', `${f}/targets/metadata-prod/metrics`, { plan: 'enterprise' });
    await project('free', `${f}/targets/free-prod/metrics`);
    await project('pro', `${f}/targets/pro-prod/metrics`, { plan: 'pro' });
    await project('outside', `${f}/targets/outside-prod/metrics`, { plan: 'enterprise' });
    fleet.setSecret('checkout-staging', secret);
    // The staging env verifies with the same project secret as prod.
    const checkoutSecret = (await t.call('POST', `/projects/${ids.checkout}/hmac-secret`, { token: member })).body.hmac_secret;
    fleet.setSecret('checkout-prod', checkoutSecret);
    fleet.setSecret('checkout-staging', checkoutSecret);
    fleet.setSecret('wrongsecret-prod', 'not-the-secret-seqpulse-has-0000000000');
    await fleetControl(f, 'garbage-prod', 'garbage');
    await fleetControl(f, 'badmetric-prod', 'invalid_metric');
    await fleetControl(f, 'status-prod', 'http_500');
    await fleetControl(f, 'hang-prod', 'outage');
    // Simulates a DNS answer that changed after validation: the stored endpoint now points at the metadata address.
    await t.db.query(`UPDATE projects SET metrics_endpoint = 'http://169.254.169.254/latest/meta-data' WHERE id = $1`, [ids.metadata]);
    const monitored = Object.entries(ids)
      .filter(([n]) => !['free', 'pro', 'outside'].includes(n))
      .map(([, id]) => id);
    expect((await t.call('PUT', '/admin/rollout', { token: admin, body: { stage: 'pilot', pilot_project_ids: monitored } })).status).toBe(
      200,
    );
  }, 60_000);

  afterAll(async () => {
    await t.close();
    await fleet.close();
    oversized.close();
  });

  const samplesOf = async (name: string) =>
    (
      await t.db.query(
        `SELECT env, phase, slot_at, collected_at, requests_per_sec, error_rate FROM samples WHERE project_id = $1 ORDER BY slot_at`,
        [ids[name]],
      )
    ).rows;
  const failuresOf = async (name: string) =>
    (await t.call('GET', `/projects/${ids[name]}/collection-failures`, { token: member })).body as any[];

  it('stores signed polls of every env with project, env and phase labels only', async () => {
    await waitFor('samples of both checkout envs', async () => {
      const rows = await samplesOf('checkout');
      return new Set(rows.map((r: any) => r.env)).size === 2 && rows;
    });
    const rows = await samplesOf('checkout');
    expect(rows.every((r: any) => r.phase === 'pre')).toBe(true);
    expect(rows.every((r: any) => r.requests_per_sec > 0 && r.error_rate >= 0 && r.error_rate <= 1)).toBe(true);
    const columns = (await t.db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'samples'`)).rows.map(
      (r) => r.column_name,
    );
    expect(columns).not.toContain('deployment_id');
    const last = await (await fetch(`${fleet.url}/control/targets/checkout-prod/requests`)).json();
    expect(last.last_status).toBe(200);
    expect(last.last_headers['x-seqpulse-signature-version']).toBe('v2');
    expect(await failuresOf('checkout')).toEqual([]);
  }, 60_000);

  it('shows the periodic tasks of the worker, with their timing, in /health/scheduler', async () => {
    // a heartbeat written after the first lease sync (every 6 s) as well as a claim: one written between the start
    // and the first sync shows the sync without a run yet, hence without timings
    const health = await waitFor('a heartbeat with task timings', async () => {
      const body = (await t.call('GET', '/health/scheduler')).body;
      const ran = (name: string) => body.tasks?.find((task: any) => task.name === name)?.runs > 0;
      return ran('claim-polls') && ran('sync-poll-leases') && body;
    });
    const names = health.tasks.map((task: any) => task.name);
    expect(names).toEqual(expect.arrayContaining(['sync-poll-leases', 'claim-polls', 'flush-results', 'reap-leases', 'worker-heartbeat']));
    const enqueue = health.tasks.find((task: any) => task.name === 'sync-poll-leases');
    expect(enqueue).toMatchObject({ every_ms: ENQUEUE_EVERY_MS, processes: 1, failures: 0 });
    expect(enqueue.mean_duration_ms).toEqual(expect.any(Number));
  }, 30_000);

  it('records each failure with its reason and stores no sample', async () => {
    const expected: Record<string, string> = {
      garbage: 'invalid_payload',
      badmetric: 'invalid_payload',
      status: 'http_status',
      hang: 'timeout',
      wrongsecret: 'hmac_rejected',
      refused: 'connection_refused',
      big: 'too_large',
      metadata: 'blocked_address',
    };
    for (const [name, reason] of Object.entries(expected)) {
      const failures = await waitFor(`a failure of ${name}`, async () => {
        const f = await failuresOf(name);
        return f.length > 0 && f;
      });
      expect(failures[0]).toMatchObject({ project_id: ids[name], env: 'prod', reason });
      expect(await samplesOf(name)).toEqual([]);
    }
    const bad = (await failuresOf('badmetric'))[0];
    expect(bad.detail).toMatchObject({ metric: 'error_rate', value: 1.7 });
    expect((await failuresOf('status'))[0].detail).toMatchObject({ status: 500 });
  }, 90_000);

  it('keeps earlier samples intact when a target starts answering garbage', async () => {
    const before = await samplesOf('checkout');
    await fleetControl(fleet.url, 'checkout-staging', 'garbage', 30);
    await waitFor('a staging failure', async () =>
      (await failuresOf('checkout')).some((f) => f.env === 'staging' && f.reason === 'invalid_payload'),
    );
    const after = await samplesOf('checkout');
    for (const row of before) expect(after).toContainEqual(row);
  }, 60_000);

  it('is not delayed by a target that hangs', async () => {
    // From its slot to its answer: the poll started on time and the target answers in a few milliseconds.
    const { rows } = await t.db.query(
      `SELECT extract(epoch FROM max(collected_at - slot_at)) * 1000 AS worst, count(*)::int AS n FROM samples WHERE project_id = $1`,
      [ids.checkout],
    );
    expect(rows[0].n).toBeGreaterThan(0);
    expect(Number(rows[0].worst)).toBeLessThan(1000);
  });

  it('never polls free, pro or non-rollout projects', async () => {
    for (const target of ['free-prod', 'pro-prod', 'outside-prod']) expect(await fleetRequestCount(fleet.url, target)).toBe(0);
    const { rows } = await t.db.query(
      `SELECT (SELECT count(*) FROM poll_leases WHERE project_id = ANY($1::uuid[])) + (SELECT count(*) FROM jobs WHERE project_id = ANY($1::uuid[])) AS n`,
      [[ids.free, ids.pro, ids.outside]],
    );
    expect(Number(rows[0].n)).toBe(0);
  });

  it('labels samples post after a finished deployment, for that env only', async () => {
    const trigger = await t.call('POST', '/deployments/trigger', {
      token: member,
      body: { project_id: ids.checkout, env: 'prod', idempotency_key: 'build-1' },
    });
    expect(trigger.body.status).toBe('created');
    const again = await t.call('POST', '/deployments/trigger', {
      token: member,
      body: { project_id: ids.checkout, env: 'prod', idempotency_key: 'build-1' },
    });
    expect(again.body).toEqual({ deployment_id: trigger.body.deployment_id, status: 'existing' });
    expect(
      (
        await t.call('POST', '/deployments/finish', {
          token: member,
          body: { deployment_id: trigger.body.deployment_id, result: 'success' },
        })
      ).body.status,
    ).toBe('accepted');
    expect(
      (
        await t.call('POST', '/deployments/finish', {
          token: member,
          body: { deployment_id: trigger.body.deployment_id, result: 'failed' },
        })
      ).body.status,
    ).toBe('ignored');
    const finishedAt = Date.now();
    await waitFor('a post sample on prod', async () => (await samplesOf('checkout')).some((r: any) => r.phase === 'post'));
    const rows = await samplesOf('checkout');
    // Staging is always pre; prod is pre before the finish and post after it (a sample within a second of the
    // finish, where the server's and the test's clocks meet, may be either).
    const expectedPhase = (r: any) => {
      const at = new Date(r.collected_at).getTime();
      if (r.env === 'staging') return 'pre';
      if (at > finishedAt + 50) return 'post';
      return at < finishedAt - 1000 ? 'pre' : r.phase;
    };
    expect(rows.map((r: any) => [r.env, r.phase])).toEqual(rows.map((r: any) => [r.env, expectedPhase(r)]));
    expect(rows.some((r: any) => r.env === 'prod' && r.phase === 'pre')).toBe(true);
  }, 60_000);

  it('stops polling a project within one interval once it leaves the rollout', async () => {
    await t.call('PUT', '/admin/rollout', { token: admin, body: { stage: 'pilot', pilot_project_ids: [ids.checkout] } });
    // A worker learns it within one refresh of its target directory (5 s) or one lease sync (6 s), whichever comes
    // first, and a slot claimed just before starts up to 0.6 s later: after 7 s nothing more is polled.
    await new Promise((r) => setTimeout(r, 7000));
    const count = await fleetRequestCount(fleet.url, 'garbage-prod');
    await new Promise((r) => setTimeout(r, 16_000));
    expect(await fleetRequestCount(fleet.url, 'garbage-prod')).toBe(count);
  }, 30_000);

  it('polls each slot once with two collector processes on one database', async () => {
    const second = await startTestApp(
      { SEQPULSE_ROLE: 'worker', SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true', SEQPULSE_POLL_TIMEOUT_MS: '1500' },
      { databaseUrl: t.config.DATABASE_URL },
    );
    try {
      const startCount = await fleetRequestCount(fleet.url, 'checkout-prod');
      const since = new Date();
      const samplesSince = async () =>
        (
          await t.db.query(
            `SELECT count(*)::int AS n, count(DISTINCT slot_at)::int AS slots FROM samples WHERE project_id = $1 AND env = 'prod' AND collected_at >= $2`,
            [ids.checkout, since],
          )
        ).rows[0];
      // Both processes run their ticks; wait until at least three slots have been polled since the second started.
      await waitFor('three slots polled with two workers', async () => (await samplesSince()).n >= 3, 90_000, 500);
      // Freeze: nothing new gets claimed, in-flight polls finish.
      await t.call('PUT', '/admin/rollout', { token: admin, body: { stage: 'pilot', pilot_project_ids: [] } });
      await new Promise((r) => setTimeout(r, 3000));
      const polled = (await fleetRequestCount(fleet.url, 'checkout-prod')) - startCount;
      const stored = await samplesSince();
      const { rows: failed } = await t.db.query(
        `SELECT count(*)::int AS n FROM jobs WHERE project_id = $1 AND env = 'prod' AND started_at >= $2 AND last_error IS DISTINCT FROM 'not_monitored'`,
        [ids.checkout, since],
      );
      // Every request answered one slot: as many requests as slots stored or failed, no slot twice.
      expect(stored.n).toBe(stored.slots);
      expect(polled).toBe(stored.n + failed[0].n);
      expect(polled).toBeGreaterThanOrEqual(3);
      const dup = await t.db.query(
        `SELECT slot_at, count(*) FROM samples WHERE project_id = $1 GROUP BY env, slot_at HAVING count(*) > 1`,
        [ids.checkout],
      );
      expect(dup.rows).toEqual([]);
      const workers = await t.db.query(`SELECT DISTINCT worker FROM poll_flush_stats WHERE at >= $1 AND succeeded > 0`, [since]);
      expect(workers.rows.length).toBeLessThanOrEqual(2);
    } finally {
      await second.close();
    }
  }, 120_000);
});
