import { startTestApp, TestApp, TEST_ADMIN } from '../../testing/test-app';
import { AccessRecordsService } from '../monitoring/access-records.service';

/**
 * Walks every flow that handles a secret with logging at `trace`, then checks that no password,
 * session token, API key or HMAC secret appears in any log line or in any later response.
 */
describe('no secret leaks to logs or later responses', () => {
  let t: TestApp;
  const secrets: string[] = [];
  const laterResponses: string[] = [];
  const auditParams: Record<string, unknown>[] = [];

  beforeAll(async () => {
    t = await startTestApp({ SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' }, { captureLogs: true });
    const password = 'member-password-xyz-123';
    secrets.push(password, TEST_ADMIN.password);
    await t.call('POST', '/auth/signup', { body: { email: 'leak@example.com', password } });
    const token = await t.login('leak@example.com', password);
    const adminToken = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
    secrets.push(token, adminToken);
    await t.call('POST', '/auth/login', { body: { email: 'leak@example.com', password: 'wrong-password-456' } });
    secrets.push('wrong-password-456');
    const project = (
      await t.call('POST', '/projects', {
        token,
        body: { name: 'P', envs: ['prod'], metrics_endpoint: 'http://127.0.0.1:9/m', hmac_enabled: true },
      })
    ).body;
    secrets.push(project.hmac_secret);
    const rotated = (await t.call('POST', `/projects/${project.id}/hmac-secret`, { token })).body;
    secrets.push(rotated.hmac_secret);
    const key = (await t.call('POST', '/api-keys', { token, body: { name: 'k', scopes: ['monitoring:read'] } })).body;
    secrets.push(key.key);
    // Requests that carry secrets in headers and query strings, including refused ones.
    await t.call('GET', '/projects', { apiKey: key.key });
    await t.call('GET', `/projects?access_token=${token}`, { token });
    await t.call('GET', '/admin/rollout', { apiKey: key.key });
    await t.call('GET', '/does-not-exist', { token });
    await t.call('POST', '/admin/users', {
      token: adminToken,
      body: { email: 'new-admin@example.com', password: 'new-admin-password-1', role: 'admin' },
    });
    secrets.push('new-admin-password-1');
    // The account lifecycle: password change, admin reset, sign out everywhere, a refused wrong current password.
    await t.call('POST', '/auth/password', { token, body: { current_password: 'not-the-current-1', new_password: 'changed-password-2' } });
    await t.call('POST', '/auth/password', { token, body: { current_password: password, new_password: 'changed-password-2' } });
    secrets.push('not-the-current-1', 'changed-password-2');
    const users = (await t.call('GET', '/admin/users', { token: adminToken })).body as { id: string; email: string }[];
    const leak = users.find((u) => u.email === 'leak@example.com') as { id: string };
    await t.call('POST', `/admin/users/${leak.id}/password`, { token: adminToken, body: { new_password: 'admin-reset-password-3' } });
    secrets.push('admin-reset-password-3');
    const again = await t.login('leak@example.com', 'admin-reset-password-3');
    secrets.push(again);
    // A credential in the query string of a realtime route: the access record must not keep it.
    await t.call('GET', `/monitoring/enterprise/timeseries?project_id=${project.id}&access_token=${again}&api_key=${key.key}`, {
      token: again,
    });
    await t.app.get(AccessRecordsService).flush();
    const audit = await t.call('GET', `/admin/audit?project_id=${project.id}`, { token: adminToken });
    laterResponses.push(audit.text);
    auditParams.push(...(audit.body as { params: Record<string, unknown> }[]).map((r) => r.params));
    await t.call('POST', '/auth/logout-all', { token: again });
    for (const path of ['/projects', `/projects/${project.id}`, '/api-keys', '/auth/me', '/admin/projects']) {
      laterResponses.push((await t.call('GET', path, { token: path.startsWith('/admin') ? adminToken : token })).text);
    }
  });
  afterAll(() => t.close());

  it('captured the request logs (the check below is not vacuous)', () => {
    expect(t.logs.length).toBeGreaterThan(10);
    expect(t.logs.some((l) => l.includes('"/api-keys"'))).toBe(true);
  });

  it('writes no secret in any log line', () => {
    for (const secret of secrets) {
      expect(secret).toBeTruthy();
      const leaking = t.logs.filter((line) => line.includes(secret));
      expect(leaking).toEqual([]);
    }
  });

  it('records credential-named query parameters as [redacted] in access records', () => {
    const withToken = auditParams.find((p) => 'access_token' in p);
    expect(withToken).toEqual(expect.objectContaining({ access_token: '[redacted]', api_key: '[redacted]' }));
  });

  it('returns no secret after its creation response', () => {
    for (const body of laterResponses) {
      for (const secret of secrets) expect(body.includes(secret)).toBe(false);
    }
  });
});
