import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';
import { TEST_ADMIN } from './test-app';
import { waitFor } from './fleet';

/** The built server, as `npm start` runs it (`nx run api:int-test` builds it first). */
export const SERVER_MAIN = resolve(__dirname, '../../../../dist/apps/api/main.js');

/**
 * One SeqPulse server in its own OS process (`SEQPULSE_ROLE` api or worker), on a free port: API processes serve
 * everything on PORT, worker processes their probes and /metrics on SEQPULSE_WORKER_PORT.
 */
export class ServerProcess {
  private child?: ChildProcess;
  port = 0;
  readonly exited: Promise<number | null>;
  private markExited!: (code: number | null) => void;

  constructor(
    readonly role: 'api' | 'worker',
    private readonly env: Record<string, string>,
  ) {
    this.exited = new Promise((r) => (this.markExited = r));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} missing: npx nx build api (nx run api:int-test builds it)`);
    this.port = await freePort();
    this.child = spawn(process.execPath, [SERVER_MAIN], {
      env: {
        PATH: process.env.PATH,
        [this.role === 'api' ? 'PORT' : 'SEQPULSE_WORKER_PORT']: String(this.port),
        HOST: '127.0.0.1',
        SEQPULSE_ROLE: this.role,
        SEQPULSE_DEMO: 'false',
        SEQPULSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'seqpulse-server-')),
        SEQPULSE_ADMIN_EMAIL: TEST_ADMIN.email,
        SEQPULSE_ADMIN_PASSWORD: TEST_ADMIN.password,
        SEQPULSE_SECRET_KEY: 'ab'.repeat(32),
        SEQPULSE_RATE_LIMIT_REALTIME: '1000000',
        SEQPULSE_RATE_LIMIT_WRITES: '1000000',
        SEQPULSE_LOGIN_RATE_LIMIT: '1000',
        LOG_LEVEL: 'info',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.once('exit', (code) => this.markExited(code));
    // Into the integration run's log directory, which its teardown scans for secrets.
    const logDir = process.env.SEQPULSE_TEST_LOG_DIR ?? mkdtempSync(join(tmpdir(), 'seqpulse-server-logs-'));
    const log = createWriteStream(join(logDir, `server-${this.role}-${randomBytes(4).toString('hex')}.log`));
    this.child.stdout?.pipe(log);
    this.child.stderr?.pipe(log);
    await waitFor(
      `the ${this.role} process ready`,
      async () => {
        if (this.child?.exitCode !== null) throw new Error(`the ${this.role} process exited (${this.child?.exitCode}); log in ${logDir}`);
        return (await fetch(`${this.url}/health/ready`).catch(() => null))?.status === 200;
      },
      120_000,
      250,
    );
  }

  /** SIGTERM, as an orchestrator stops it (graceful shutdown). */
  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      await this.exited;
    }
  }

  async call(method: string, path: string, options: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text; // not JSON (/metrics)
    }
    return { status: res.status, body };
  }

  async login(email = TEST_ADMIN.email, password = TEST_ADMIN.password): Promise<string> {
    const res = await this.call('POST', '/auth/login', { body: { email, password } });
    if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
    return res.body.access_token;
  }
}
