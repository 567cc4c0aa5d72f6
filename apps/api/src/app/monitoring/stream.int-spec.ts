import type { AlertStreamNotice, AlertView, MetricValues } from '@seqpulse/contracts';
import { startTestApp, TestApp } from '../../testing/test-app';
import { openStream } from '../../testing/sse-client';
import { SamplesStore } from '../samples/samples.store';
import { auditOf, Fixture, monitoringFixture, MONITORING_FIXTURE_ENV } from '../../testing/monitoring-fixture';
import { StreamHub } from './stream-hub';

const values: MetricValues = { requests_per_sec: 12.5, latency_p95: 180, error_rate: 0.002, cpu_usage: 0.41, memory_usage: 0.63 };

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('GET /monitoring/enterprise/stream (two API processes on one database)', () => {
  let a: TestApp; // serves the stream
  let b: TestApp; // writes the samples (stands for a worker)
  let f: Fixture;
  let hub: StreamHub;
  const url = (params: Record<string, string>) =>
    `${a.url}/monitoring/enterprise/stream?${new URLSearchParams({ project_id: f.enterprise, ...params })}`;
  const auth = () => ({ authorization: `Bearer ${f.owner.token}` });
  const write = (env: string, at: Date, v: Partial<MetricValues> = {}) =>
    b.app
      .get(SamplesStore)
      .insertBatch([{ projectId: f.enterprise, env, slotAt: new Date(at.getTime() - 2000), collectedAt: at, values: { ...values, ...v } }]);

  beforeAll(async () => {
    a = await startTestApp(MONITORING_FIXTURE_ENV);
    b = await startTestApp(MONITORING_FIXTURE_ENV, { databaseUrl: a.config.DATABASE_URL });
    f = await monitoringFixture(a);
    hub = a.app.get(StreamHub);
    await hub.ready;
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('delivers a sample written by ANOTHER app instance to a stream client, as `event: sample`', async () => {
    const s = await openStream(url({}), auth());
    expect(s.res.status).toBe(200);
    expect(s.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(s.res.headers.get('x-accel-buffering')).toBe('no');
    expect(s.res.headers.get('cache-control')).toContain('no-cache');
    expect(s.res.headers.get('content-encoding')).toBeNull();
    await until(() => hub.subscriberCount() === 1);
    const at = new Date(Math.floor(Date.now() / 1000) * 1000);
    const sent = Date.now();
    await write('prod', at);
    await s.waitFor((e) => e.some((x) => x.event === 'sample'), 3000);
    const latency = Date.now() - sent;
    expect(s.samples()).toEqual([{ t: at.toISOString().replace('.000Z', 'Z'), env: 'prod', phase: 'pre', values }]);
    expect(latency).toBeLessThan(1000);
    await s.close();
  });

  it('filters by env and phase, and never sends another project’s samples', async () => {
    const staging = await openStream(url({ env: 'staging' }), auth());
    const post = await openStream(url({ phase: 'post' }), auth());
    const all = await openStream(url({}), auth());
    await until(() => hub.subscriberCount() === 3);
    const t0 = Date.now() - 60_000;
    await write('prod', new Date(t0), { requests_per_sec: 1 });
    await write('staging', new Date(t0 + 1000), { requests_per_sec: 2 });
    await b.app
      .get(SamplesStore)
      .insertBatch([{ projectId: f.outside, env: 'prod', slotAt: new Date(t0), collectedAt: new Date(t0), values }]);
    await all.waitFor((e) => e.filter((x) => x.event === 'sample').length >= 2);
    await staging.waitFor((e) => e.some((x) => x.event === 'sample'));
    await new Promise((r) => setTimeout(r, 300));
    expect(all.samples().map((x) => [x.env, x.values.requests_per_sec])).toEqual([
      ['prod', 1],
      ['staging', 2],
    ]);
    expect(staging.samples().map((x) => x.env)).toEqual(['staging']);
    expect(post.samples()).toEqual([]);
    // a post sample: a finished deployment just before it
    await a.db.query(`INSERT INTO deployments (project_id, env, started_at, finished_at, result) VALUES ($1, 'prod', $2, $3, 'success')`, [
      f.enterprise,
      new Date(t0 + 1500),
      new Date(t0 + 2000),
    ]);
    await write('prod', new Date(t0 + 3000), { requests_per_sec: 3 });
    await post.waitFor((e) => e.some((x) => x.event === 'sample'));
    expect(post.samples().map((x) => [x.phase, x.values.requests_per_sec])).toEqual([['post', 3]]);
    await Promise.all([staging.close(), post.close(), all.close()]);
  });

  it('forwards alert transitions (seqpulse_alerts) as `event: alert`, filtered by project and env', async () => {
    const prod = await openStream(url({ env: 'prod' }), auth());
    const staging = await openStream(url({ env: 'staging' }), auth());
    await until(() => hub.subscriberCount() === 2);
    const alert: AlertView = {
      id: 'a1',
      rule: 'cpu_high',
      env: 'prod',
      state: 'firing',
      value: 0.93,
      threshold: 0.8,
      started_at: '2026-11-28T10:15:00Z',
      resolved_at: null,
    };
    const notice = (n: AlertStreamNotice) => b.db.query(`SELECT pg_notify('seqpulse_alerts', $1)`, [JSON.stringify(n)]);
    await notice({ project_id: f.outside, alert: { ...alert, id: 'other' } });
    await notice({ project_id: f.enterprise, alert });
    await prod.waitFor((e) => e.some((x) => x.event === 'alert'));
    await new Promise((r) => setTimeout(r, 200));
    expect(prod.alerts()).toEqual([alert]);
    expect(staging.alerts()).toEqual([]);
    await Promise.all([prod.close(), staging.close()]);
  });

  it('sends a heartbeat comment periodically', async () => {
    hub.heartbeatMs = 150;
    try {
      const s = await openStream(url({}), auth());
      await s.waitFor((e) => e.filter((x) => x.comment === 'heartbeat').length >= 2, 3000);
      await s.close();
    } finally {
      hub.heartbeatMs = 15_000;
    }
  });

  it('cleans up when the client disconnects (no subscriber, no timer left)', async () => {
    await until(() => hub.subscriberCount() === 0);
    const streams = await Promise.all([1, 2, 3].map(() => openStream(url({}), auth())));
    await until(() => hub.subscriberCount() === 3);
    await streams[0].close();
    await until(() => hub.subscriberCount() === 2);
    await Promise.all(streams.slice(1).map((s) => s.close()));
    await until(() => hub.subscriberCount() === 0);
    // the server keeps working for the next client
    const s = await openStream(url({}), auth());
    await until(() => hub.subscriberCount() === 1);
    await write('prod', new Date(Date.now() - 120_000));
    await s.waitFor((e) => e.some((x) => x.event === 'sample'));
    await s.close();
    await until(() => hub.subscriberCount() === 0);
  });

  it('is gated like every realtime route, and each stream open is an access record', async () => {
    const free = await openStream(`${a.url}/monitoring/enterprise/stream?project_id=${f.free}`, auth());
    expect(free.res.status).toBe(403);
    await free.done;
    const freeBody = await a.call('GET', `/monitoring/enterprise/stream?project_id=${f.free}`, { token: f.owner.token });
    expect(freeBody.body).toMatchObject({ statusCode: 403, code: 'plan_not_enterprise' });
    const outside = await a.call('GET', `/monitoring/enterprise/stream?project_id=${f.outside}`, { token: f.owner.token });
    expect([outside.status, outside.body.code]).toEqual([403, 'monitoring_not_enabled']);
    const stranger = await a.call('GET', `/monitoring/enterprise/stream?project_id=${f.enterprise}`, { token: f.stranger.token });
    expect([stranger.status, stranger.body.code]).toEqual([404, 'project_not_found']);
    const bad = await a.call('GET', `/monitoring/enterprise/stream?project_id=${f.enterprise}&phase=${encodeURIComponent("pre' OR 1=1")}`, {
      token: f.owner.token,
    });
    expect([bad.status, bad.body.code]).toEqual([400, 'validation_failed']);
    const env = await a.call('GET', `/monitoring/enterprise/stream?project_id=${f.enterprise}&env=qa`, { token: f.owner.token });
    expect(env.status).toBe(400);
    const noScope = await a.call('GET', `/monitoring/enterprise/stream?project_id=${f.enterprise}`, {
      apiKey: await f.key(['alerts:write']),
    });
    expect([noScope.status, noScope.body.code]).toEqual([403, 'insufficient_scope']);
    expect(hub.subscriberCount()).toBe(0);

    const s = await openStream(url({ env: 'prod' }), auth());
    await until(() => hub.subscriberCount() === 1);
    const recs = await auditOf(a, f.admin, f.enterprise);
    expect(recs[0]).toMatchObject({
      route: 'GET /monitoring/enterprise/stream',
      status: 200,
      params: { project_id: f.enterprise, env: 'prod' },
    });
    expect(recs.slice(1, 5).map((r) => r.status)).toEqual([403, 400, 400, 404]);
    expect(recs[1]).toMatchObject({ api_key_id: expect.any(String) });
    expect((await auditOf(a, f.admin, f.free))[0]).toMatchObject({ route: 'GET /monitoring/enterprise/stream', status: 403 });
    await s.close();
  });

  it('survives losing its LISTEN connection: open streams end, the hub reconnects, new streams get samples', async () => {
    const s = await openStream(url({}), auth());
    await until(() => hub.subscriberCount() === 1);
    await b.db.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'seqpulse-listen' AND datname = current_database()`,
    );
    await s.done; // the server ended it so the client reconnects and refills the gap
    expect(s.ended).toBe(true);
    await until(() => hub.listening, 15_000);
    const again = await openStream(url({}), auth());
    await until(() => hub.subscriberCount() === 1);
    await write('prod', new Date(Date.now() - 180_000));
    await again.waitFor((e) => e.some((x) => x.event === 'sample'));
    await again.close();
  });
});
