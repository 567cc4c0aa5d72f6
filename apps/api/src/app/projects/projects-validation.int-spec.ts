import { startTestApp, TestApp, TEST_ADMIN } from '../../testing/test-app';

const good = { name: 'Shop', envs: ['prod'], metrics_endpoint: 'https://93.184.215.14/metrics' };

describe('bad input is a 400 with the contract body, and changes nothing', () => {
  let t: TestApp;
  let token: string;
  let admin: string;
  let project: any;
  let snapshot: () => Promise<string>;

  beforeAll(async () => {
    t = await startTestApp();
    token = (await t.signupAndLogin()).token;
    admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
    project = (await t.call('POST', '/projects', { token, body: good })).body;
    await t.call('PUT', `/admin/projects/${project.id}/plan`, { token: admin, body: { plan: 'pro' } });
    snapshot = async () => JSON.stringify((await t.db.query('SELECT * FROM projects ORDER BY id')).rows);
  });
  afterAll(() => t.close());

  const creations: [string, unknown][] = [
    ['missing name', { envs: ['prod'], metrics_endpoint: good.metrics_endpoint }],
    ['missing envs', { name: 'x', metrics_endpoint: good.metrics_endpoint }],
    ['missing endpoint', { name: 'x', envs: ['prod'] }],
    ['name of wrong type', { ...good, name: 42 }],
    ['envs of wrong type', { ...good, envs: 'prod' }],
    ['hmac_enabled of wrong type', { ...good, hmac_enabled: 'yes' }],
    ['oversized name', { ...good, name: 'x'.repeat(101) }],
    ['oversized endpoint', { ...good, metrics_endpoint: `https://example.com/${'a'.repeat(2100)}` }],
    ['uppercase env', { ...good, envs: ['Prod'] }],
    ['env with a space', { ...good, envs: ['pr od'] }],
    ['env too long', { ...good, envs: ['e'.repeat(33)] }],
    ['duplicate envs', { ...good, envs: ['prod', 'prod'] }],
    ['2 envs on free', { ...good, envs: ['prod', 'staging'] }],
    ['file URL', { ...good, metrics_endpoint: 'file:///etc/passwd' }],
    ['metadata address', { ...good, metrics_endpoint: 'http://169.254.169.254/' }],
    ['loopback', { ...good, metrics_endpoint: 'http://127.0.0.1:8080/metrics' }],
    ['IPv6 loopback', { ...good, metrics_endpoint: 'http://[::1]/metrics' }],
    ['IPv4-mapped private', { ...good, metrics_endpoint: 'http://[::ffff:10.0.0.1]/metrics' }],
    ['private range', { ...good, metrics_endpoint: 'http://192.168.1.10/metrics' }],
    ['credentials in URL', { ...good, metrics_endpoint: 'https://user:pw@93.184.215.14/metrics' }],
    ['not a URL', { ...good, metrics_endpoint: 'not a url' }],
    ['poll interval too short', { ...good, poll_interval_s: 5 }],
    ['unknown field', { ...good, owner_id: 'someone-else' }],
    ['SQL-ish name type', { ...good, envs: ["prod'; DROP TABLE projects;--"] }],
  ];

  it.each(creations)('POST /projects with %s → 400 validation_failed', async (_label, body) => {
    const before = await snapshot();
    const res = await t.call('POST', '/projects', { token, body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, code: 'validation_failed', message: expect.any(String), details: expect.any(Object) });
    expect(await snapshot()).toBe(before);
  });

  it.each([
    ['4 envs on pro', { envs: ['a', 'b', 'c', 'd'] }],
    ['bad env name', { envs: ['UPPER'] }],
    ['metadata endpoint', { metrics_endpoint: 'http://169.254.169.254/latest/meta-data' }],
    ['file endpoint', { metrics_endpoint: 'file:///etc/passwd' }],
    ['empty name', { name: '' }],
  ])('PATCH with %s → 400 and the project is unchanged', async (_label, body) => {
    const before = await snapshot();
    const res = await t.call('PATCH', `/projects/${project.id}`, { token, body });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(await snapshot()).toBe(before);
  });

  it('refuses an unknown plan and keeps the current one', async () => {
    const before = await snapshot();
    const res = await t.call('PUT', `/admin/projects/${project.id}/plan`, { token: admin, body: { plan: 'platinum' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(await snapshot()).toBe(before);
  });

  it('refuses unknown scopes and pilot ids', async () => {
    expect((await t.call('POST', '/api-keys', { token, body: { name: 'k', scopes: ['root'] } })).status).toBe(400);
    expect((await t.call('POST', '/api-keys', { token, body: { name: 'k', scopes: [] } })).status).toBe(400);
    const rollout = await t.call('PUT', '/admin/rollout', {
      token: admin,
      body: { stage: 'pilot', pilot_project_ids: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(rollout.status).toBe(400);
    expect(rollout.body.details.unknown_project_ids).toHaveLength(1);
    expect((await t.call('PUT', '/admin/rollout', { token: admin, body: { stage: 'everyone', pilot_project_ids: [] } })).status).toBe(400);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await t.call('POST', '/projects', { token, body: { ...good, name: 'x'.repeat(70_000) } });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });
});

describe('SEQPULSE_ALLOW_PRIVATE_TARGETS=true (demo, on-premises)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' });
  });
  afterAll(() => t.close());

  it('accepts a loopback target but still refuses the metadata address and non-http schemes', async () => {
    const { token } = await t.signupAndLogin();
    const local = await t.call('POST', '/projects', { token, body: { ...good, metrics_endpoint: 'http://127.0.0.1:4100/metrics' } });
    expect(local.status).toBe(201);
    expect((await t.call('POST', '/projects', { token, body: { ...good, metrics_endpoint: 'http://169.254.169.254/' } })).status).toBe(400);
    expect((await t.call('POST', '/projects', { token, body: { ...good, metrics_endpoint: 'file:///etc/passwd' } })).status).toBe(400);
  });
});
