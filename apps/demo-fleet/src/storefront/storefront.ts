import * as seqpulse from '@seqpulse/node';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { pathOf, sendJson } from '../app/http-helpers';

/**
 * The demo's customer service: a small shop API instrumented exactly as docs/connect-a-service.md tells a
 * customer (one init, one wrap), so its metrics come from real requests through the SDK. Work is
 * simulated with timers; a "slow database" phase of a few minutes every half hour raises latency and
 * errors, so its charts and alerts have something to show.
 */
export interface StorefrontOptions {
  port?: number;
  host?: string;
  /** Epoch milliseconds; default Date.now. */
  clock?: () => number;
}

const PRODUCTS = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, name: `Product ${i + 1}`, price_cents: 500 + ((i * 731) % 9000) }));
const DEGRADED_EVERY_MS = 30 * 60_000;
const DEGRADED_FOR_MS = 4 * 60_000;

/** Milliseconds of simulated work: log-normal around `medianMs`, heavier while the database is slow. */
function workMs(medianMs: number, degraded: boolean): number {
  const normal = Math.sqrt(-2 * Math.log(Math.random() || 1e-9)) * Math.cos(2 * Math.PI * Math.random());
  return Math.min(5_000, medianMs * (degraded ? 4 : 1) * Math.exp(0.5 * normal));
}

function route(req: IncomingMessage, res: ServerResponse, degraded: boolean): void {
  const path = pathOf(req.url);
  const reply = (medianMs: number, status: number, body: unknown): void => {
    setTimeout(() => sendJson(res, status, body), workMs(medianMs, degraded));
  };
  if (req.method === 'GET' && path === '/products') return reply(12, 200, PRODUCTS);
  const product = /^\/products\/(\d+)$/.exec(path);
  if (req.method === 'GET' && product) {
    const found = PRODUCTS.find((p) => p.id === Number(product[1]));
    return reply(6, found ? 200 : 404, found ?? { error: 'not_found' });
  }
  if (req.method === 'POST' && path === '/cart') {
    const failed = Math.random() < (degraded ? 0.08 : 0.004);
    return reply(35, failed ? 503 : 201, failed ? { error: 'database_unavailable' } : { ok: true });
  }
  if (req.method === 'GET' && path === '/search') return reply(60, 200, PRODUCTS.slice(0, 5));
  sendJson(res, 404, { error: 'not_found' });
}

export async function startStorefront(options: StorefrontOptions = {}): Promise<{ url: string; server: Server }> {
  const clock = options.clock ?? Date.now;
  // HMAC secret (and its on/off switch) from SEQPULSE_HMAC_SECRET / SEQPULSE_HMAC_ENABLED, as a customer would.
  seqpulse.init({ endpoint: '/seqpulse-metrics' });
  const server = createServer(seqpulse.wrap((req, res) => route(req, res, clock() % DEGRADED_EVERY_MS < DEGRADED_FOR_MS)));
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port ?? 4101, host, resolve));
  return { url: `http://${host}:${(server.address() as AddressInfo).port}`, server };
}
