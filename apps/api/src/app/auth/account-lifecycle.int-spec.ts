import { randomBytes } from 'node:crypto';
import { startTestApp, TestApp, TEST_ADMIN } from '../../testing/test-app';

describe('account lifecycle (real Postgres, real HTTP)', () => {
  let t: TestApp;
  let admin: string;

  const createProject = async (token: string) => {
    const res = await t.call('POST', '/projects', { token, body: { name: 'p', envs: ['prod'], metrics_endpoint: 'https://8.8.8.8/m' } });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const createKey = async (token: string, scopes = ['monitoring:read'], projectIds?: string[]) => {
    const res = await t.call('POST', '/api-keys', {
      token,
      body: { name: 'k', scopes, ...(projectIds ? { project_ids: projectIds } : {}) },
    });
    expect(res.status).toBe(201);
    return res.body.key as string;
  };
  const userId = async (email: string) => (await t.db.query(`SELECT id FROM users WHERE lower(email) = lower($1)`, [email])).rows[0].id;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
  });
  afterAll(() => t.close());

  it('changes my password with the current one: other sessions end, this one and my keys stay', async () => {
    const user = await t.signupAndLogin();
    const other = await t.login(user.email, user.password);
    const key = await createKey(user.token);
    const wrong = await t.call('POST', '/auth/password', {
      token: user.token,
      body: { current_password: 'not-the-password', new_password: 'a-brand-new-password' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.details.fields[0].field).toBe('current_password');
    expect((await t.call('GET', '/auth/me', { token: other })).status).toBe(200);

    const changed = await t.call('POST', '/auth/password', {
      token: user.token,
      body: { current_password: user.password, new_password: 'a-brand-new-password' },
    });
    expect(changed.status).toBe(204);
    expect((await t.call('GET', '/auth/me', { token: user.token })).status).toBe(200);
    expect((await t.call('GET', '/auth/me', { token: other })).status).toBe(401);
    expect((await t.call('GET', '/projects', { apiKey: key })).status).toBe(200);
    expect((await t.call('POST', '/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(401);
    await t.login(user.email, 'a-brand-new-password');
  });

  it('refuses a password change with an API key', async () => {
    const user = await t.signupAndLogin();
    const key = await createKey(user.token, ['monitoring:read', 'alerts:write', 'deployments:write']);
    const res = await t.call('POST', '/auth/password', {
      apiKey: key,
      body: { current_password: user.password, new_password: 'a-brand-new-password' },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('insufficient_scope');
  });

  it('signs out everywhere, this session included', async () => {
    const user = await t.signupAndLogin();
    const second = await t.login(user.email, user.password);
    expect((await t.call('POST', '/auth/logout-all', { token: user.token })).status).toBe(204);
    expect((await t.call('GET', '/auth/me', { token: user.token })).status).toBe(401);
    expect((await t.call('GET', '/auth/me', { token: second })).status).toBe(401);
  });

  it('lists users with their last sign-in, for a signed-in administrator only', async () => {
    const user = await t.signupAndLogin();
    const list = await t.call('GET', '/admin/users', { token: admin });
    expect(list.status).toBe(200);
    const row = list.body.find((u: { email: string }) => u.email === user.email);
    expect(row).toEqual({
      id: expect.any(String),
      email: user.email,
      role: 'member',
      disabled: false,
      created_at: expect.stringMatching(/Z$/),
      last_login_at: expect.stringMatching(/Z$/),
    });
    expect((await t.call('GET', '/admin/users', { token: user.token })).status).toBe(403);
    const adminKey = await createKey(admin, ['admin', 'monitoring:read']);
    const byKey = await t.call('GET', '/admin/users', { apiKey: adminKey });
    expect(byKey.status).toBe(403);
    expect(byKey.body.code).toBe('insufficient_scope');
    const createByKey = await t.call('POST', '/admin/users', {
      apiKey: adminKey,
      body: { email: `k-${randomBytes(3).toString('hex')}@example.com`, password: 'long-enough-password', role: 'admin' },
    });
    expect(createByKey.status).toBe(403);
  });

  it('disables a user: their session and key fail on the very next request; re-enabled, the key works again', async () => {
    const user = await t.signupAndLogin();
    const key = await createKey(user.token);
    const id = await userId(user.email);
    expect((await t.call('GET', '/projects', { apiKey: key })).status).toBe(200);
    const disabled = await t.call('PATCH', `/admin/users/${id}`, { token: admin, body: { disabled: true } });
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabled).toBe(true);
    expect((await t.call('GET', '/projects', { apiKey: key })).status).toBe(401);
    expect((await t.call('GET', '/auth/me', { token: user.token })).status).toBe(401);
    expect((await t.call('POST', '/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(401);

    expect((await t.call('PATCH', `/admin/users/${id}`, { token: admin, body: { disabled: false } })).body.disabled).toBe(false);
    expect((await t.call('GET', '/projects', { apiKey: key })).status).toBe(200);
    // Sessions of the disabled period do not come back.
    expect((await t.call('GET', '/auth/me', { token: user.token })).status).toBe(401);
    await t.login(user.email, user.password);
  });

  it('deletes a user with their projects: nobody reaches those projects any more', async () => {
    const user = await t.signupAndLogin();
    const project = await createProject(user.token);
    const key = await createKey(user.token);
    const id = await userId(user.email);
    expect((await t.call('DELETE', `/admin/users/${id}`, { token: admin })).status).toBe(204);
    expect((await t.call('GET', `/projects/${project}`, { apiKey: key })).status).toBe(401);
    expect((await t.call('GET', `/projects/${project}`, { token: admin })).status).toBe(404);
    expect((await t.call('DELETE', `/admin/users/${id}`, { token: admin })).status).toBe(404);
  });

  it('resets a password: the user signs in with the new one, their sessions end', async () => {
    const user = await t.signupAndLogin();
    const id = await userId(user.email);
    const reset = await t.call('POST', `/admin/users/${id}/password`, { token: admin, body: { new_password: 'reset-by-the-admin' } });
    expect(reset.status).toBe(204);
    expect((await t.call('GET', '/auth/me', { token: user.token })).status).toBe(401);
    await t.login(user.email, 'reset-by-the-admin');
    const short = await t.call('POST', `/admin/users/${id}/password`, { token: admin, body: { new_password: 'short' } });
    expect(short.status).toBe(400);
  });

  it('changes roles, and refuses to lock the administrator out of their own account', async () => {
    const user = await t.signupAndLogin();
    const id = await userId(user.email);
    const promoted = await t.call('PATCH', `/admin/users/${id}`, { token: admin, body: { role: 'admin' } });
    expect(promoted.body.role).toBe('admin');
    expect((await t.call('GET', '/admin/users', { token: user.token })).status).toBe(200);
    const self = await userId(TEST_ADMIN.email);
    for (const body of [{ disabled: true }, { role: 'member' }]) {
      const res = await t.call('PATCH', `/admin/users/${self}`, { token: admin, body });
      expect(res.status).toBe(409);
    }
    expect((await t.call('DELETE', `/admin/users/${self}`, { token: admin })).status).toBe(409);
  });
});

describe('keys cannot escalate', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
  });
  afterAll(() => t.close());

  it('an admin-scoped key limited to projects acts on those projects only, admin routes included', async () => {
    const owner = await t.signupAndLogin();
    const mk = async () =>
      (
        await t.call('POST', '/projects', {
          token: owner.token,
          body: { name: 'p', envs: ['prod'], metrics_endpoint: 'https://8.8.8.8/m' },
        })
      ).body.id as string;
    const mine = await mk();
    const other = await mk();
    const key = (await t.call('POST', '/api-keys', { token: admin, body: { name: 'narrow', scopes: ['admin'], project_ids: [mine] } })).body
      .key as string;
    expect((await t.call('PUT', `/admin/projects/${mine}/plan`, { apiKey: key, body: { plan: 'pro' } })).status).toBe(200);
    const refused = await t.call('PUT', `/admin/projects/${other}/plan`, { apiKey: key, body: { plan: 'pro' } });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('insufficient_scope');
    expect((await t.call('GET', '/admin/projects', { apiKey: key })).status).toBe(403);
    expect((await t.call('PUT', '/admin/rollout', { apiKey: key, body: { stage: 'general', pilot_project_ids: [] } })).status).toBe(403);
    expect((await t.call('GET', `/admin/audit?project_id=${mine}`, { apiKey: key })).status).toBe(200);
    expect((await t.call('GET', `/admin/audit?project_id=${other}`, { apiKey: key })).status).toBe(403);
    expect((await t.call('GET', '/admin/audit', { apiKey: key })).status).toBe(403);
    const { rows } = await t.db.query(`SELECT stage FROM rollout_settings`);
    expect(rows[0].stage).toBe('pilot');
  });

  it('an admin-scoped key cannot create users, administrators or other admin keys', async () => {
    const key = (await t.call('POST', '/api-keys', { token: admin, body: { name: 'wide', scopes: ['admin', 'monitoring:read'] } })).body
      .key as string;
    const user = await t.call('POST', '/admin/users', {
      apiKey: key,
      body: { email: 'escalate@example.com', password: 'long-enough-password', role: 'admin' },
    });
    expect(user.status).toBe(403);
    const newKey = await t.call('POST', '/api-keys', { apiKey: key, body: { name: 'again', scopes: ['admin'] } });
    expect(newKey.status).toBe(403);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE email = 'escalate@example.com'`);
    expect(rows[0].n).toBe(0);
  });

  it('project data needs monitoring:read from a key', async () => {
    const owner = await t.signupAndLogin();
    const project = (
      await t.call('POST', '/projects', { token: owner.token, body: { name: 'p', envs: ['prod'], metrics_endpoint: 'https://8.8.8.8/m' } })
    ).body.id as string;
    const deployOnly = (await t.call('POST', '/api-keys', { token: owner.token, body: { name: 'ci', scopes: ['deployments:write'] } })).body
      .key as string;
    for (const path of [
      `/projects/${project}`,
      '/projects',
      `/projects/${project}/collection-failures`,
      `/projects/${project}/notifications`,
    ]) {
      const res = await t.call('GET', path, { apiKey: deployOnly });
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 403, code: 'insufficient_scope' });
    }
    const reader = (await t.call('POST', '/api-keys', { token: owner.token, body: { name: 'r', scopes: ['monitoring:read'] } })).body
      .key as string;
    expect((await t.call('GET', `/projects/${project}`, { apiKey: reader })).status).toBe(200);
    expect((await t.call('GET', `/projects/${project}/collection-failures`, { apiKey: reader })).status).toBe(200);
  });
});
