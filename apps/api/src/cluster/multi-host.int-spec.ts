import { Client } from 'pg';
import { createTestDatabase, startTestApp, TestApp, TEST_ADMIN } from '../testing/test-app';
import { startSecondPostgres } from '../testing/second-postgres';
import { waitFor } from '../testing/fleet';
import { PgOutageProxy } from '../testing/pg-outage-proxy';
import { primaryLocator } from '../app/database/connections';
import { AppConfig } from '../app/config/app-config';

async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A multi-host DATABASE_URL on two real Postgres servers: a writable "primary" and a read-only "standby" (read-only
 * as a standby is: `default_transaction_read_only`), each behind a proxy that can cut it off. No replication here:
 * what is tested is that every connection finds the writable node, at start and again after a "failover" (the
 * primary cut off, the standby made writable). The failover drill with pg_auto_failover tests the real thing.
 */
describe('a multi-host DATABASE_URL', () => {
  let standbyServer: Awaited<ReturnType<typeof startSecondPostgres>>;
  let primaryUrl: string;
  let standbyUrl: string;
  let primaryProxy: PgOutageProxy;
  let standbyProxy: PgOutageProxy;
  let t: TestApp;

  beforeAll(async () => {
    primaryUrl = await createTestDatabase();
    const name = new URL(primaryUrl).pathname.slice(1);
    standbyServer = await startSecondPostgres();
    await sql(standbyServer.adminUrl('postgres'), `CREATE DATABASE ${name}`);
    standbyUrl = standbyServer.adminUrl(name);
    // The standby has the schema and the administrator, as a replica would.
    await (await startTestApp({ SEQPULSE_ROLE: 'api' }, { databaseUrl: standbyUrl })).close();
    await sql(standbyUrl, `ALTER SYSTEM SET default_transaction_read_only = on`);
    await sql(standbyUrl, `SELECT pg_reload_conf()`);

    primaryProxy = new PgOutageProxy(Number(new URL(primaryUrl).port));
    standbyProxy = new PgOutageProxy(Number(new URL(standbyUrl).port));
    const [p, s] = [await primaryProxy.start(), await standbyProxy.start()];
    // The standby first: the primary must be found, not assumed.
    const multiHost = `postgres://postgres:postgres@127.0.0.1:${s},127.0.0.1:${p}/${name}`;
    t = await startTestApp({ SEQPULSE_ROLE: 'all', SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' }, { databaseUrl: multiHost });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await primaryProxy?.down().catch(() => undefined);
    await standbyProxy?.down().catch(() => undefined);
    await standbyServer?.stop();
  }, 60_000);

  const createProject = async (name: string) => {
    const token = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
    return t.call('POST', '/projects', { token, body: { name, envs: ['prod'], metrics_endpoint: 'http://127.0.0.1:9/metrics' } });
  };

  it('writes to the writable host, wherever it is listed', async () => {
    expect((await createProject('on-primary')).status).toBe(201);
    expect(await sql(primaryUrl, `SELECT name FROM projects WHERE name = 'on-primary'`)).toHaveLength(1);
    expect(await sql(standbyUrl, `SELECT name FROM projects WHERE name = 'on-primary'`)).toHaveLength(0);
  });

  it('finds the new primary after a failover, for its pools and its stream listener', async () => {
    await primaryProxy.down();
    await sql(standbyUrl, `ALTER SYSTEM SET default_transaction_read_only = off`);
    await sql(standbyUrl, `SELECT pg_reload_conf()`);
    await waitFor(
      'a write accepted by the promoted node',
      async () => (await createProject('after-failover').catch(() => null))?.status === 201,
      45_000,
    );
    expect(await sql(standbyUrl, `SELECT name FROM projects WHERE name = 'after-failover'`)).toHaveLength(1);
    expect(primaryLocator(t.app.get(AppConfig))?.moves).toBe(1);
    await waitFor('ready on the new primary', async () => (await t.call('GET', '/health/ready')).status === 200, 20_000);
    const admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
    await waitFor(
      'the stream listener reconnected',
      async () => /seqpulse_db_reconnects_total\{session="listen"\} [1-9]/.test((await t.call('GET', '/metrics', { token: admin })).text),
      30_000,
    );
  }, 90_000);
});
