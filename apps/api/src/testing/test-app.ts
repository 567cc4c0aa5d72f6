import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { Client, Pool } from 'pg';
import { AppConfig, loadConfig } from '../app/config/app-config';
import { createApp } from '../app/create-app';

export const TEST_ADMIN = { email: 'root@seqpulse.test', password: 'root-password-123' };

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  url: string;
  db: Pool;
  /** Every log line the app wrote (JSON strings), when started with `captureLogs`. */
  logs: string[];
  call(
    method: string,
    path: string,
    options?: { token?: string; apiKey?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  login(email: string, password: string): Promise<string>;
  signupAndLogin(email?: string): Promise<{ token: string; email: string; password: string }>;
  close(): Promise<void>;
}

/** A fresh database on the integration Postgres for one test file. */
export async function createTestDatabase(): Promise<string> {
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  if (!adminUrl) throw new Error('TEST_PG_ADMIN_URL is not set: run through `nx run api:int-test`');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Boots the real application (real Postgres, real HTTP on a free port). */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { captureLogs?: boolean; databaseUrl?: string } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    SEQPULSE_DEMO: 'false',
    SEQPULSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'seqpulse-test-')),
    SEQPULSE_ADMIN_EMAIL: TEST_ADMIN.email,
    SEQPULSE_ADMIN_PASSWORD: TEST_ADMIN.password,
    // Every test app logs at least at the production level into SEQPULSE_TEST_LOG_DIR, which the integration run's
    // global teardown scans for secrets (test/log-secret-scan.mjs); captureLogs also keeps the lines here, at trace.
    LOG_LEVEL: options.captureLogs ? 'trace' : process.env.SEQPULSE_TEST_LOG_DIR ? 'info' : 'silent',
    SEQPULSE_LOGIN_RATE_LIMIT: '1000',
    // Tests fire requests far faster than any user; the limits have their own spec (request-limits.int-spec.ts).
    SEQPULSE_RATE_LIMIT_REALTIME: '1000000',
    SEQPULSE_RATE_LIMIT_WRITES: '1000000',
    // Processes sharing a database share the key, as docs/operations.md requires.
    SEQPULSE_SECRET_KEY: 'ab'.repeat(32),
    ...env,
  });
  const logs: string[] = [];
  const stream = new PassThrough();
  if (options.captureLogs) stream.on('data', (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const logDir = process.env.SEQPULSE_TEST_LOG_DIR;
  if (logDir) stream.pipe(createWriteStream(join(logDir, `app-${process.pid}-${randomBytes(4).toString('hex')}.log`)));
  else if (!options.captureLogs) stream.resume();
  // nestjs-pino keeps the first app's logger for lines written outside a request (start-up, timers) for the whole
  // process: point it at this app's stream, so what this app logs at start is in its own logs.
  __resetOutOfContextForTests();
  const app = await createApp(config, { logStream: stream });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  const db = new Pool({ connectionString: databaseUrl, max: 3 });
  db.on('error', () => undefined); // idle clients cut by a simulated outage

  const call: TestApp['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.apiKey) headers['x-api-key'] = opts.apiKey;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
    });
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, body, text, headers: res.headers };
  };
  const login = async (email: string, password: string) => {
    const res = await call('POST', '/auth/login', { body: { email, password } });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
    return res.body.access_token as string;
  };
  const signupAndLogin = async (email = `user-${randomBytes(4).toString('hex')}@example.com`) => {
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const res = await call('POST', '/auth/signup', { body: { email, password } });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${res.text}`);
    return { token: await login(email, password), email, password };
  };
  return {
    app,
    config,
    url,
    db,
    logs,
    call,
    login,
    signupAndLogin,
    close: async () => {
      await app.close();
      await db.end();
    },
  };
}
