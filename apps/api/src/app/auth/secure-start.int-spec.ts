import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ADMIN, DEMO_MEMBER, loadConfig, StartRefusedError } from '../config/app-config';
import { createApp } from '../create-app';
import { createTestDatabase, startTestApp, TEST_ADMIN, TestApp } from '../../testing/test-app';

const loginStatus = async (t: TestApp, email: string, password: string) =>
  (await t.call('POST', '/auth/login', { body: { email, password } })).status;

describe('safe by default on a real database', () => {
  it('with DATABASE_URL and no demo flag: nothing seeded, no known password, private targets off', async () => {
    const t = await startTestApp({ SEQPULSE_DEMO: '' });
    try {
      expect(t.config.demo).toBe(false);
      expect(t.config.allowPrivateTargets).toBe(false);
      const { rows } = await t.db.query(`SELECT email FROM users`);
      expect(rows.map((r) => r.email)).toEqual([TEST_ADMIN.email]);
      expect((await t.db.query(`SELECT count(*)::int AS n FROM projects`)).rows[0].n).toBe(0);
      expect(await loginStatus(t, DEMO_ADMIN.email, DEMO_ADMIN.password)).toBe(401);
      expect(await loginStatus(t, DEMO_MEMBER.email, DEMO_MEMBER.password)).toBe(401);
      const token = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
      const local = await t.call('POST', '/projects', {
        token,
        body: { name: 'p', envs: ['prod'], metrics_endpoint: 'http://127.0.0.1:4100/metrics' },
      });
      expect(local.status).toBe(400);
    } finally {
      await t.close();
    }
  });

  it('refuses to start without any administrator, naming the variables to set', async () => {
    const config = loadConfig({
      DATABASE_URL: await createTestDatabase(),
      SEQPULSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'seqpulse-test-')),
      LOG_LEVEL: 'silent',
      SEQPULSE_SECRET_KEY: 'ab'.repeat(32),
    });
    expect(config.demo).toBe(false);
    const started = createApp(config);
    await expect(started).rejects.toBeInstanceOf(StartRefusedError);
    await expect(started).rejects.toThrow(/SEQPULSE_ADMIN_EMAIL and SEQPULSE_ADMIN_PASSWORD/);
  });

  it('a database that had the demo, restarted with the demo off, refuses the demo accounts, their sessions and keys (and says so)', async () => {
    const demo = await startTestApp({ SEQPULSE_DEMO: 'true' });
    const databaseUrl = demo.config.DATABASE_URL as string;
    let session: string;
    let key: string;
    try {
      session = await demo.login(DEMO_MEMBER.email, DEMO_MEMBER.password);
      key = (await demo.call('POST', '/api-keys', { token: session, body: { name: 'k', scopes: ['monitoring:read'] } })).body.key;
      expect((await demo.call('GET', '/projects', { apiKey: key })).body.length).toBeGreaterThan(0);
      const marked = await demo.db.query(`SELECT bool_and(demo) AS all_demo, count(*)::int AS n FROM projects`);
      expect(marked.rows[0]).toEqual({ all_demo: true, n: expect.any(Number) });
      expect((await demo.db.query(`SELECT demo FROM users WHERE email = $1`, [DEMO_MEMBER.email])).rows[0].demo).toBe(true);
    } finally {
      await demo.close();
    }
    const real = await startTestApp({ SEQPULSE_DEMO: 'false' }, { databaseUrl, captureLogs: true });
    try {
      expect(await loginStatus(real, DEMO_MEMBER.email, DEMO_MEMBER.password)).toBe(401);
      expect((await real.call('GET', '/auth/me', { token: session })).status).toBe(401);
      expect((await real.call('GET', '/projects', { apiKey: key })).status).toBe(401);
      expect(real.logs.some((line) => line.includes('demo accounts in this database can no longer sign in'))).toBe(true);
      // The real administrator is unaffected.
      await real.login(TEST_ADMIN.email, TEST_ADMIN.password);
    } finally {
      await real.close();
    }
  });

  it('break-glass: SEQPULSE_ADMIN_RESET=true gives the administrator SEQPULSE_ADMIN_PASSWORD again, re-enabled, and logs it', async () => {
    const email = 'owner@break.glass';
    const first = await startTestApp({ SEQPULSE_ADMIN_EMAIL: email, SEQPULSE_ADMIN_PASSWORD: 'first-admin-password' });
    const databaseUrl = first.config.DATABASE_URL as string;
    const session = await first.login(email, 'first-admin-password');
    await first.db.query(`UPDATE users SET disabled_at = now() WHERE email = $1`, [email]);
    await first.close();

    // The only administrator is disabled and no reset is asked: nobody could administer, the start is refused.
    await expect(
      startTestApp({ SEQPULSE_ADMIN_EMAIL: email, SEQPULSE_ADMIN_PASSWORD: 'second-admin-password' }, { databaseUrl }),
    ).rejects.toThrow(/SEQPULSE_ADMIN_RESET=true/);
    const reset = await startTestApp(
      { SEQPULSE_ADMIN_EMAIL: email, SEQPULSE_ADMIN_PASSWORD: 'second-admin-password', SEQPULSE_ADMIN_RESET: 'true' },
      { databaseUrl, captureLogs: true },
    );
    try {
      expect(await loginStatus(reset, email, 'second-admin-password')).toBe(200);
      expect(await loginStatus(reset, email, 'first-admin-password')).toBe(401);
      expect((await reset.call('GET', '/auth/me', { token: session })).status).toBe(401);
      const line = reset.logs.find((l) => l.includes('Break-glass'));
      expect(line).toBeDefined();
      expect(line).toContain(email);
      expect(line).not.toContain('second-admin-password');
    } finally {
      await reset.close();
    }
  });
});

describe('rotating SEQPULSE_SECRET_KEY', () => {
  it('re-seals every HMAC secret with the new key when started with SEQPULSE_SECRET_KEY_PREVIOUS, keeping the secrets', async () => {
    const before = await startTestApp({ SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' });
    const databaseUrl = before.config.DATABASE_URL as string;
    const owner = await before.signupAndLogin();
    const created = await before.call('POST', '/projects', {
      token: owner.token,
      body: { name: 'signed', envs: ['prod'], metrics_endpoint: 'http://127.0.0.1:9/m', hmac_enabled: true },
    });
    expect(created.status).toBe(201);
    const secret = created.body.hmac_secret as string;
    const sealedBefore = (await before.db.query(`SELECT hmac_secret_enc FROM projects WHERE id = $1`, [created.body.id])).rows[0]
      .hmac_secret_enc;
    await before.close();

    const newKey = 'cd'.repeat(32);
    const rotated = await startTestApp({ SEQPULSE_SECRET_KEY: newKey, SEQPULSE_SECRET_KEY_PREVIOUS: 'ab'.repeat(32) }, { databaseUrl });
    await rotated.close();
    const after = await startTestApp({ SEQPULSE_SECRET_KEY: newKey }, { databaseUrl });
    try {
      const { ProjectsService } = await import('../projects/projects.service');
      expect(await after.app.get(ProjectsService).hmacSecretOf(created.body.id)).toBe(secret);
      const sealedAfter = (await after.db.query(`SELECT hmac_secret_enc FROM projects WHERE id = $1`, [created.body.id])).rows[0]
        .hmac_secret_enc;
      expect(sealedAfter).not.toBe(sealedBefore);
    } finally {
      await after.close();
    }
  });
});

describe('what anonymous callers see', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('/health: up or down publicly, details for administrators', async () => {
    const anonymous = await t.call('GET', '/health');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ status: 'ok', checks: { database: { status: 'ok' } } });
    const admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
    const detailed = await t.call('GET', '/health', { token: admin });
    expect(detailed.body.checks.database).toEqual({ status: 'ok', latency_ms: expect.any(Number) });
    const member = await t.signupAndLogin();
    expect((await t.call('GET', '/health', { token: member.token })).body.checks.database).toEqual({ status: 'ok' });
  });

  it('/health/scheduler: no host names or process ids for anonymous callers', async () => {
    await t.db.query(
      `INSERT INTO workers (id, role, pid, host, heartbeat_at) VALUES ($1, 'worker', $2, $3, now())
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
      [`${hostname()}:${process.pid}:abc123`, process.pid, hostname()],
    );
    const anonymous = await t.call('GET', '/health/scheduler');
    expect(anonymous.status).toBe(200);
    expect(anonymous.text).not.toContain(hostname());
    expect(anonymous.text).not.toContain(`:${process.pid}:`);
    expect(anonymous.body.workers.length).toBeGreaterThan(0);
    expect(anonymous.body.recent_failures).toBeUndefined();
    const admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
    const detailed = await t.call('GET', '/health/scheduler', { token: admin });
    expect(detailed.text).toContain(hostname());
    expect(detailed.body.recent_failures).toEqual(expect.any(Array));
  });

  it('sends a Content-Security-Policy that allows only this origin', async () => {
    const res = await t.call('GET', '/docs');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src [^;]*'unsafe-inline'/);
  });
});
