import { startTestApp, TestApp } from '../../testing/test-app';
import { AccountTasks } from './account-tasks';

describe('sessions end after their absolute and idle lifetimes, and are purged (real Postgres, real HTTP)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('ends idle and over-age sessions, and purges them', async () => {
    const idle = await t.signupAndLogin();
    const old = await t.signupAndLogin();
    const idleSeconds = t.config.SEQPULSE_SESSION_IDLE_S + 60;
    await t.db.query(
      `UPDATE sessions SET last_seen_at = now() - make_interval(secs => $2) WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      [idle.email, idleSeconds],
    );
    await t.db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      [old.email],
    );
    expect((await t.call('GET', '/auth/me', { token: idle.token })).status).toBe(401);
    expect((await t.call('GET', '/auth/me', { token: old.token })).status).toBe(401);
    expect(await t.app.get(AccountTasks).purgeSessions()).toBeGreaterThanOrEqual(2);
    const { rows } = await t.db.query(
      `SELECT count(*)::int AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email IN ($1, $2)`,
      [idle.email, old.email],
    );
    expect(rows[0].n).toBe(0);
  });
});
