import { startTestApp, TestApp } from '../../testing/test-app';
import { openStream } from '../../testing/sse-client';
import { Fixture, monitoringFixture, MONITORING_FIXTURE_ENV } from '../../testing/monitoring-fixture';
import { StreamHub } from './stream-hub';

const HEARTBEAT_MS = 250;

describe('event streams are bounded and re-checked at every heartbeat (real Postgres, real HTTP)', () => {
  let t: TestApp;
  let f: Fixture;
  const url = (projectId = f.enterprise) => `${t.url}/monitoring/enterprise/stream?project_id=${projectId}`;
  const endEvent = (events: { event: string | null; data: string | null }[]) => {
    const end = events.find((e) => e.event === 'end');
    return end ? JSON.parse(end.data as string) : null;
  };

  beforeAll(async () => {
    t = await startTestApp({ ...MONITORING_FIXTURE_ENV, SEQPULSE_STREAMS_PER_CREDENTIAL: '2' });
    f = await monitoringFixture(t, ['prod']);
    const hub = t.app.get(StreamHub);
    await hub.ready;
    hub.heartbeatMs = HEARTBEAT_MS;
  });
  afterAll(() => t.close());

  it('ends a stream within one heartbeat after its key is revoked, naming the reason', async () => {
    const key = await f.key(['monitoring:read']);
    const s = await openStream(url(), { 'x-api-key': key });
    expect(s.res.status).toBe(200);
    await s.waitFor((events) => events.some((e) => e.comment === 'heartbeat'));
    const keys = await t.call('GET', '/api-keys', { token: f.owner.token });
    const id = keys.body.find((k: { prefix: string }) => key.startsWith(k.prefix)).id;
    const revokedAt = Date.now();
    expect((await t.call('DELETE', `/api-keys/${id}`, { token: f.owner.token })).status).toBe(204);
    await s.done;
    expect(Date.now() - revokedAt).toBeLessThan(2 * HEARTBEAT_MS + 500);
    expect(endEvent(s.events)).toEqual({ reason: 'unauthenticated', message: expect.any(String) });
  });

  it('ends a stream when the project is downgraded, and when it leaves the pilot', async () => {
    const downgraded = await openStream(url(), { authorization: `Bearer ${f.owner.token}` });
    expect(downgraded.res.status).toBe(200);
    expect((await t.call('PUT', `/admin/projects/${f.enterprise}/plan`, { token: f.admin, body: { plan: 'pro' } })).status).toBe(200);
    await downgraded.done;
    expect(endEvent(downgraded.events)?.reason).toBe('plan_not_enterprise');
    expect((await t.call('PUT', `/admin/projects/${f.enterprise}/plan`, { token: f.admin, body: { plan: 'enterprise' } })).status).toBe(
      200,
    );

    const left = await openStream(url(), { authorization: `Bearer ${f.owner.token}` });
    expect(left.res.status).toBe(200);
    expect((await t.call('PUT', '/admin/rollout', { token: f.admin, body: { stage: 'pilot', pilot_project_ids: [] } })).status).toBe(200);
    await left.done;
    expect(endEvent(left.events)?.reason).toBe('monitoring_not_enabled');
    expect(
      (await t.call('PUT', '/admin/rollout', { token: f.admin, body: { stage: 'pilot', pilot_project_ids: [f.enterprise] } })).status,
    ).toBe(200);
  });

  it('ends the streams of a user an administrator disables', async () => {
    const owner = await t.signupAndLogin();
    const project = (
      await t.call('POST', '/projects', { token: owner.token, body: { name: 'p', envs: ['prod'], metrics_endpoint: 'https://8.8.8.8/m' } })
    ).body.id;
    await t.call('PUT', `/admin/projects/${project}/plan`, { token: f.admin, body: { plan: 'enterprise' } });
    await t.call('PUT', '/admin/rollout', { token: f.admin, body: { stage: 'pilot', pilot_project_ids: [f.enterprise, project] } });
    const s = await openStream(url(project), { authorization: `Bearer ${owner.token}` });
    expect(s.res.status).toBe(200);
    const { rows } = await t.db.query(`SELECT id FROM users WHERE email = $1`, [owner.email]);
    expect((await t.call('PATCH', `/admin/users/${rows[0].id}`, { token: f.admin, body: { disabled: true } })).status).toBe(200);
    await s.done;
    expect(endEvent(s.events)?.reason).toBe('unauthenticated');
  });

  it('caps open streams per credential with 429 rate_limited and Retry-After; closing one frees a slot', async () => {
    const key = await f.key(['monitoring:read']);
    const first = await openStream(url(), { 'x-api-key': key });
    const second = await openStream(url(), { 'x-api-key': key });
    expect([first.res.status, second.res.status]).toEqual([200, 200]);
    const third = await fetch(url(), { headers: { 'x-api-key': key } });
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await third.json()).toMatchObject({ statusCode: 429, code: 'rate_limited' });
    // Another credential has its own budget.
    const other = await openStream(url(), { 'x-api-key': await f.key(['monitoring:read']) });
    expect(other.res.status).toBe(200);
    await first.close();
    const deadline = Date.now() + 3000;
    let again = await fetch(url(), { headers: { 'x-api-key': key } });
    while (again.status === 429 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      again = await fetch(url(), { headers: { 'x-api-key': key } });
    }
    expect(again.status).toBe(200);
    await again.body?.cancel();
    await Promise.all([second.close(), other.close()]);
  });
});
