import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../../..');

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.unref();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

export interface Product {
  baseUrl: string;
  /** The demo fleet (control API: /control/targets/<name>/mode). */
  fleetUrl: string;
  port: number;
  dataDir: string;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * Starts the whole product the way the README does (`node tools/start.mjs`): a free PORT, a
 * temporary SEQPULSE_DATA_DIR (embedded Postgres inside) and the demo data (SEQPULSE_DEMO=true).
 */
export async function startProduct(timeoutMs = 420_000): Promise<Product> {
  const port = await freePort();
  const fleetPort = await freePort();
  const storefrontPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'seqpulse-e2e-'));
  chmodSync(dataDir, 0o755); // the embedded Postgres runs as another user when we are root
  const logDir = join(ROOT, 'dist/dashboard-e2e');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, 'product.log');
  const chunks: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['tools/start.mjs'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      SEQPULSE_DATA_DIR: dataDir,
      SEQPULSE_DEMO: 'true',
      SEQPULSE_DEMO_FLEET_PORT: String(fleetPort),
      SEQPULSE_DEMO_STOREFRONT_PORT: String(storefrontPort),
      // No scheduled incidents: the demo's half-hour cycle takes the prod targets down for 6 minutes (minutes
      // 22–28 and 52–58 of each hour), and a test waiting for live samples then would fail by the clock.
      // Tests that need an incident force it through the fleet's control API.
      DEMO_FLEET_INCIDENT_RULES: '[]',
    },
    detached: true, // own process group: stop() ends the product and only it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => chunks.push(b.toString()));
  child.stderr?.on('data', (b: Buffer) => chunks.push(b.toString()));
  let exited: number | null = null;
  child.on('exit', (code) => (exited = code ?? -1));

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    writeFileSync(logFile, chunks.join(''));
    if (exited === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const deadline = Date.now() + 20_000;
      while (exited === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      if (exited === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    if (!process.env['SEQPULSE_E2E_KEEP_DATA']) rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`the product exited (${exited}) before it was ready:\n${chunks.join('').slice(-4000)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/health`);
      const page = await fetch(`${baseUrl}/`);
      if (res.status < 500 && page.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the product did not answer on ${baseUrl} within ${timeoutMs / 1000} s:\n${chunks.join('').slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return { baseUrl, fleetUrl: `http://127.0.0.1:${fleetPort}`, port, dataDir, logFile, stop };
}
