import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../testing/free-port';

/**
 * Runs the built server (dist/apps/api/main.js, as `npm start` does) on the embedded Postgres:
 * data must survive a SIGKILL, and a second server on the same data directory must refuse to start.
 */
const MAIN = resolve(__dirname, '../../../../../dist/apps/api/main.js');

interface Server {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

function startServer(dataDir: string, port: number): Server {
  let output = '';
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      SEQPULSE_DATA_DIR: dataDir,
      SEQPULSE_DEMO: 'false',
      SEQPULSE_ADMIN_EMAIL: 'admin@restart.test',
      SEQPULSE_ADMIN_PASSWORD: 'restart-admin-pw',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c) => (output += c));
  child.stderr?.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, port, output: () => output, exited };
}

async function waitHealthy(server: Server, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited: ${server.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/health`);
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not healthy in time: ${server.output()}`);
}

async function api(port: number, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

describe('the built server on the embedded Postgres', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'seqpulse-restart-'));
  const running: Server[] = [];
  afterAll(async () => {
    for (const s of running)
      if (s.child.exitCode === null) {
        s.child.kill('SIGTERM');
        await s.exited;
      }
  });

  it('keeps data across a kill -9, and refuses a second server on the same data directory', async () => {
    expect(existsSync(MAIN)).toBe(true);
    const first = startServer(dataDir, await freePort());
    running.push(first);
    await waitHealthy(first);
    await api(first.port, 'POST', '/auth/signup', { email: 'keep@example.com', password: 'keep-password-123' });
    const token = (await api(first.port, 'POST', '/auth/login', { email: 'keep@example.com', password: 'keep-password-123' })).body
      .access_token;
    const created = await api(
      first.port,
      'POST',
      '/projects',
      { name: 'Durable', envs: ['prod'], metrics_endpoint: 'https://93.184.215.14/m' },
      token,
    );
    expect(created.status).toBe(201);

    const second = startServer(dataDir, await freePort());
    running.push(second);
    expect(await second.exited).toBe(3);
    expect(second.output()).toContain(`is in use by another SeqPulse process (pid ${first.child.pid})`);
    // The refused start touched nothing: the first server still serves its data.
    expect((await api(first.port, 'GET', '/projects', undefined, token)).body).toHaveLength(1);

    first.child.kill('SIGKILL');
    await first.exited;

    const third = startServer(dataDir, await freePort());
    running.push(third);
    await waitHealthy(third);
    const token2 = (await api(third.port, 'POST', '/auth/login', { email: 'keep@example.com', password: 'keep-password-123' })).body
      .access_token;
    const projects = await api(third.port, 'GET', '/projects', undefined, token2);
    expect(projects.body.map((p: { name: string }) => p.name)).toEqual(['Durable']);
    // The session issued before the kill is still valid too: sessions live in Postgres.
    expect((await api(third.port, 'GET', '/auth/me', undefined, token)).status).toBe(200);

    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 120_000);
});
