import { startTestApp, TestApp, TEST_ADMIN } from '../../testing/test-app';

describe('accounts and sessions (real Postgres, real HTTP)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates the first admin from SEQPULSE_ADMIN_EMAIL / _PASSWORD', async () => {
    const token = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
    const me = await t.call('GET', '/auth/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: expect.any(String), email: TEST_ADMIN.email, role: 'admin' });
  });

  it('signs up a member, logs in, and reads /auth/me', async () => {
    const signup = await t.call('POST', '/auth/signup', { body: { email: 'Alice@Example.com', password: 'correct-horse-battery' } });
    expect(signup.status).toBe(201);
    expect(signup.body).toMatchObject({ email: 'Alice@Example.com', role: 'member' });
    const login = await t.call('POST', '/auth/login', { body: { email: 'alice@example.com', password: 'correct-horse-battery' } });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ access_token: expect.stringMatching(/^sps_/), token_type: 'Bearer', expires_in: 43200 });
    const me = await t.call('GET', '/auth/me', { token: login.body.access_token });
    expect(me.body.role).toBe('member');
  });

  it('refuses a taken email (case-insensitive) with 409 email_taken', async () => {
    await t.signupAndLogin('bob@example.com');
    const again = await t.call('POST', '/auth/signup', { body: { email: 'BOB@example.com', password: 'another-long-password' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ statusCode: 409, code: 'email_taken' });
  });

  it('refuses passwords under 12 characters', async () => {
    const res = await t.call('POST', '/auth/signup', { body: { email: 'short@example.com', password: 'elevenchars' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.details.fields[0].field).toBe('password');
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE email = 'short@example.com'`);
    expect(rows[0].n).toBe(0);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const wrong = await t.call('POST', '/auth/login', { body: { email: 'alice@example.com', password: 'wrong-password-123' } });
    const unknown = await t.call('POST', '/auth/login', { body: { email: 'nobody@example.com', password: 'wrong-password-123' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.code).toBe('unauthenticated');
  });

  it('rejects missing, malformed and unknown credentials with 401 unauthenticated', async () => {
    const cases: Record<string, string>[] = [
      {},
      { authorization: 'Basic abc' },
      { authorization: 'Bearer sps_forged' },
      { 'x-api-key': 'sp_forged' },
    ];
    for (const headers of cases) {
      const res = await t.call('GET', '/auth/me', { headers });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'unauthenticated', message: expect.any(String) });
    }
  });

  it('revokes the session at logout', async () => {
    const { token } = await t.signupAndLogin();
    expect((await t.call('POST', '/auth/logout', { token })).status).toBe(204);
    expect((await t.call('GET', '/auth/me', { token })).status).toBe(401);
  });

  it('refuses an expired session, and the session of a deleted user', async () => {
    const expiring = await t.signupAndLogin();
    expect((await t.call('GET', '/auth/me', { token: expiring.token })).status).toBe(200);
    await t.db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = (SELECT id FROM users WHERE lower(email) = lower($1))`,
      [expiring.email],
    );
    expect((await t.call('GET', '/auth/me', { token: expiring.token })).status).toBe(401);
    const deleted = await t.signupAndLogin();
    await t.db.query(`DELETE FROM users WHERE lower(email) = lower($1)`, [deleted.email]);
    expect((await t.call('GET', '/auth/me', { token: deleted.token })).status).toBe(401);
  });

  it('stores passwords hashed with argon2id, never in clear', async () => {
    const { rows } = await t.db.query(`SELECT password_hash FROM users WHERE lower(email) = 'alice@example.com'`);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0].password_hash).not.toContain('correct-horse-battery');
  });

  it('lets only admins create users of either role', async () => {
    const admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
    const created = await t.call('POST', '/admin/users', {
      token: admin,
      body: { email: 'ops@example.com', password: 'ops-password-123', role: 'admin' },
    });
    expect(created.status).toBe(201);
    expect(created.body.role).toBe('admin');
    const { token: member } = await t.signupAndLogin();
    const refused = await t.call('POST', '/admin/users', {
      token: member,
      body: { email: 'x@example.com', password: 'ops-password-123', role: 'admin' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('insufficient_scope');
    const bad = await t.call('POST', '/admin/users', {
      token: admin,
      body: { email: 'y@example.com', password: 'ops-password-123', role: 'owner' },
    });
    expect(bad.status).toBe(400);
  });

  it('answers an unknown route with the contract body', async () => {
    const res = await t.call('GET', '/no/such/route');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'not_found' });
  });

  it('answers malformed JSON with 400 validation_failed', async () => {
    const res = await t.call('POST', '/auth/login', { body: '{"email": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
  });
});

describe('sign-up switch and login rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SEQPULSE_SIGNUP: 'false', SEQPULSE_LOGIN_RATE_LIMIT: '3' });
  });
  afterAll(() => t.close());

  it('turns sign-up off with SEQPULSE_SIGNUP=false', async () => {
    const res = await t.call('POST', '/auth/signup', { body: { email: 'new@example.com', password: 'a-long-password' } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('signup_disabled');
  });

  it('limits login attempts per client with 429 rate_limited', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await t.call('POST', '/auth/login', { body: { email: 'guess@example.com', password: `guess-${i}-password` } });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 2)).toEqual([401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(last!.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
  });
});
