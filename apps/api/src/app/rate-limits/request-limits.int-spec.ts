import { startTestApp, TestApp } from '../../testing/test-app';
import { Fixture, monitoringFixture, MONITORING_FIXTURE_ENV } from '../../testing/monitoring-fixture';

describe('per-credential request limits shared by two API processes through Postgres', () => {
  let a: TestApp;
  let b: TestApp;
  let f: Fixture;
  const limits = { ...MONITORING_FIXTURE_ENV, SEQPULSE_RATE_LIMIT_REALTIME: '6', SEQPULSE_RATE_LIMIT_WRITES: '4' };

  beforeAll(async () => {
    a = await startTestApp(limits);
    b = await startTestApp(limits, { databaseUrl: a.config.DATABASE_URL });
    f = await monitoringFixture(a, ['prod']);
    // The fixture's own writes count against the owner's budget: start from a clean window.
    await a.db.query('DELETE FROM rate_limits');
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('counts realtime requests of one key across both processes and answers 429 rate_limited with Retry-After', async () => {
    const key = await f.key(['monitoring:read']);
    const path = `/monitoring/enterprise/timeseries?project_id=${f.enterprise}`;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await (i % 2 ? b : a).call('GET', path, { apiKey: key })).status);
    expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    const refused = await b.call('GET', path, { apiKey: key });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ statusCode: 429, code: 'rate_limited', details: { limit: 6, window_s: 60 } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another key is not affected.
    expect((await a.call('GET', path, { apiKey: await f.key(['monitoring:read']) })).status).toBe(200);
    const { rows } = await a.db.query(`SELECT points FROM rate_limits WHERE key LIKE 'realtime:key:%' ORDER BY points DESC LIMIT 1`);
    expect(rows[0].points).toBeGreaterThanOrEqual(6);
  });

  it('limits write routes per user across sessions, and leaves reads alone', async () => {
    const user = await a.signupAndLogin();
    const other = await b.login(user.email, user.password); // a second session: same user, same budget
    await a.db.query(`DELETE FROM rate_limits WHERE key LIKE 'write:%'`);
    const write = (t: TestApp, token: string) => t.call('POST', '/api-keys', { token, body: { name: 'k', scopes: ['monitoring:read'] } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await write(i % 2 ? b : a, i % 2 ? other : user.token)).status);
    expect(statuses).toEqual([201, 201, 201, 201]);
    const refused = await write(b, other);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    expect((await a.call('GET', '/api-keys', { token: user.token })).status).toBe(200);
  });
});
