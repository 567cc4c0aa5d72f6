import { startTestApp, TestApp, TEST_ADMIN } from '../../testing/test-app';

const endpoint = 'http://8.8.8.8/metrics'; // a public address: allowed without SEQPULSE_ALLOW_PRIVATE_TARGETS

describe('projects: ownership, keys and scopes', () => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  let admin: string;
  let aliceProject: any;
  let aliceOther: any;

  beforeAll(async () => {
    // API only: these projects name a public address, which no collector of a test may call.
    t = await startTestApp({ SEQPULSE_ROLE: 'api' });
    alice = (await t.signupAndLogin('alice@example.com')).token;
    bob = (await t.signupAndLogin('bob@example.com')).token;
    admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
    aliceProject = (await t.call('POST', '/projects', { token: alice, body: { name: 'Shop', envs: ['prod'], metrics_endpoint: endpoint } }))
      .body;
    aliceOther = (await t.call('POST', '/projects', { token: alice, body: { name: 'Other', envs: ['prod'], metrics_endpoint: endpoint } }))
      .body;
  });
  afterAll(() => t.close());

  it('creates a free project with the contract fields and the monitoring status', () => {
    expect(aliceProject).toEqual({
      id: expect.any(String),
      name: 'Shop',
      plan: 'free',
      envs: ['prod'],
      metrics_endpoint: endpoint,
      hmac_enabled: false,
      poll_interval_s: 15,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      monitoring: { enabled: false, reason: 'plan_not_enterprise' },
    });
  });

  it("never lets a member see, change or delete another member's project (404)", async () => {
    const path = `/projects/${aliceProject.id}`;
    for (const [method, body] of [['GET'], ['PATCH', { name: 'Pwned' }], ['DELETE'], ['POST', undefined]] as const) {
      const res = await t.call(method, method === 'POST' ? `${path}/hmac-secret` : path, { token: bob, body });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'project_not_found' });
    }
    expect((await t.call('GET', '/projects', { token: bob })).body).toEqual([]);
    const still = await t.call('GET', path, { token: alice });
    expect(still.body.name).toBe('Shop');
  });

  it('answers a missing project and a malformed id like an invisible one', async () => {
    expect((await t.call('GET', '/projects/00000000-0000-4000-8000-000000000000', { token: alice })).body.code).toBe('project_not_found');
    expect((await t.call('GET', "/projects/1' OR '1'='1", { token: alice })).body.code).toBe('project_not_found');
  });

  it('limits a key with project_ids to those projects', async () => {
    const created = await t.call('POST', '/api-keys', {
      token: alice,
      body: { name: 'shop only', scopes: ['monitoring:read'], project_ids: [aliceProject.id] },
    });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^sp_/);
    const key = created.body.key;
    expect((await t.call('GET', `/projects/${aliceProject.id}`, { apiKey: key })).status).toBe(200);
    expect((await t.call('GET', `/projects/${aliceOther.id}`, { apiKey: key })).body.code).toBe('project_not_found');
    const list = await t.call('GET', '/projects', { token: undefined, headers: { authorization: `Bearer ${key}` } });
    expect(list.body.map((p: any) => p.id)).toEqual([aliceProject.id]);
  });

  it('refuses a key for a project the creator cannot see', async () => {
    const res = await t.call('POST', '/api-keys', {
      token: bob,
      body: { name: 'steal', scopes: ['monitoring:read'], project_ids: [aliceProject.id] },
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('project_not_found');
  });

  it('fails a revoked key on the very next request', async () => {
    const { body } = await t.call('POST', '/api-keys', { token: alice, body: { name: 'temp', scopes: ['monitoring:read'] } });
    expect((await t.call('GET', '/projects', { apiKey: body.key })).status).toBe(200);
    expect((await t.call('DELETE', `/api-keys/${body.id}`, { token: alice })).status).toBe(204);
    const after = await t.call('GET', '/projects', { apiKey: body.key });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('unauthenticated');
    const listed = (await t.call('GET', '/api-keys', { token: alice })).body.find((k: any) => k.id === body.id);
    expect(listed.revoked_at).not.toBeNull();
  });

  it("does not let a member revoke another member's key", async () => {
    const { body } = await t.call('POST', '/api-keys', { token: alice, body: { name: 'mine', scopes: ['monitoring:read'] } });
    expect((await t.call('DELETE', `/api-keys/${body.id}`, { token: bob })).status).toBe(404);
    expect((await t.call('GET', '/projects', { apiKey: body.key })).status).toBe(200);
  });

  it('lists keys without their secret and stores only a hash', async () => {
    const { body } = await t.call('POST', '/api-keys', { token: alice, body: { name: 'hash check', scopes: ['deployments:write'] } });
    const list = await t.call('GET', '/api-keys', { token: alice });
    expect(list.text).not.toContain(body.key);
    const { rows } = await t.db.query('SELECT key_hash FROM api_keys WHERE id = $1', [body.id]);
    expect(rows[0].key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(body.key);
  });

  it('answers 403 insufficient_scope to a key without the needed scope or role', async () => {
    const memberKey = (await t.call('POST', '/api-keys', { token: alice, body: { name: 'read', scopes: ['monitoring:read'] } })).body.key;
    const asKey = await t.call('POST', '/projects', { apiKey: memberKey, body: { name: 'X', envs: ['prod'], metrics_endpoint: endpoint } });
    expect(asKey.status).toBe(403);
    expect(asKey.body.code).toBe('insufficient_scope');

    const adminKeyNoScope = (await t.call('POST', '/api-keys', { token: admin, body: { name: 'admin read', scopes: ['monitoring:read'] } }))
      .body.key;
    const adminKeyWithScope = (await t.call('POST', '/api-keys', { token: admin, body: { name: 'admin', scopes: ['admin'] } })).body.key;
    expect((await t.call('GET', '/admin/rollout', { apiKey: adminKeyNoScope })).body.code).toBe('insufficient_scope');
    expect((await t.call('GET', '/admin/rollout', { apiKey: adminKeyWithScope })).status).toBe(200);

    const memberAdminKey = await t.call('POST', '/api-keys', { token: alice, body: { name: 'escalate', scopes: ['admin'] } });
    expect(memberAdminKey.status).toBe(403);
  });

  it('lets only admins change a plan, and then reports monitoring per the rollout', async () => {
    const byMember = await t.call('PUT', `/admin/projects/${aliceProject.id}/plan`, { token: alice, body: { plan: 'enterprise' } });
    expect(byMember.status).toBe(403);
    const byAdmin = await t.call('PUT', `/admin/projects/${aliceProject.id}/plan`, { token: admin, body: { plan: 'enterprise' } });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.monitoring).toEqual({ enabled: false, reason: 'monitoring_not_enabled' });
    await t.call('PUT', '/admin/rollout', { token: admin, body: { stage: 'pilot', pilot_project_ids: [aliceProject.id] } });
    expect((await t.call('GET', `/projects/${aliceProject.id}`, { token: alice })).body.monitoring).toEqual({ enabled: true });
    expect((await t.call('GET', `/projects/${aliceOther.id}`, { token: alice })).body.monitoring.reason).toBe('plan_not_enterprise');
  });

  it('allows 3 envs on enterprise, and refuses a downgrade that would exceed the plan', async () => {
    const ok = await t.call('PATCH', `/projects/${aliceProject.id}`, { token: alice, body: { envs: ['prod', 'staging', 'dev'] } });
    expect(ok.status).toBe(200);
    const down = await t.call('PUT', `/admin/projects/${aliceProject.id}/plan`, { token: admin, body: { plan: 'free' } });
    expect(down.status).toBe(400);
    expect((await t.call('GET', `/projects/${aliceProject.id}`, { token: alice })).body.plan).toBe('enterprise');
  });

  it('returns the HMAC secret once, stores it encrypted, and rotates it', async () => {
    const created = await t.call('POST', '/projects', {
      token: alice,
      body: { name: 'Signed', envs: ['prod'], metrics_endpoint: endpoint, hmac_enabled: true },
    });
    expect(created.status).toBe(201);
    const secret = created.body.hmac_secret;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const read = await t.call('GET', `/projects/${created.body.id}`, { token: alice });
    expect(read.body.hmac_enabled).toBe(true);
    expect(read.text).not.toContain(secret);
    expect(read.body).not.toHaveProperty('hmac_secret');
    const { rows } = await t.db.query('SELECT hmac_secret_enc FROM projects WHERE id = $1', [created.body.id]);
    expect(rows[0].hmac_secret_enc).toMatch(/^v1\./);
    expect(rows[0].hmac_secret_enc).not.toContain(secret);
    const rotated = await t.call('POST', `/projects/${created.body.id}/hmac-secret`, { token: alice });
    expect(rotated.status).toBe(201);
    expect(rotated.body.hmac_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated.body.hmac_secret).not.toBe(secret);
    const chosen = 'chosen-by-the-customer-0123456789abcdefghijklmnopq';
    const rotatedTo = await t.call('POST', `/projects/${created.body.id}/hmac-secret`, { token: alice, body: { hmac_secret: chosen } });
    expect(rotatedTo.status).toBe(201);
    expect(rotatedTo.body.hmac_secret).toBe(chosen);
    const weak = await t.call('POST', `/projects/${created.body.id}/hmac-secret`, { token: alice, body: { hmac_secret: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('validation_failed');
    expect(weak.text).not.toContain('short"');
  });

  it('deletes a project for its owner', async () => {
    const p = (await t.call('POST', '/projects', { token: alice, body: { name: 'Gone', envs: ['prod'], metrics_endpoint: endpoint } }))
      .body;
    expect((await t.call('DELETE', `/projects/${p.id}`, { token: alice })).status).toBe(204);
    expect((await t.call('GET', `/projects/${p.id}`, { token: alice })).status).toBe(404);
  });

  it('lets admins list every project with its owner', async () => {
    const res = await t.call('GET', '/admin/projects', { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.find((p: any) => p.id === aliceProject.id)).toMatchObject({ owner_id: expect.any(String), plan: 'enterprise' });
    expect((await t.call('GET', '/admin/projects', { token: alice })).status).toBe(403);
  });
});
