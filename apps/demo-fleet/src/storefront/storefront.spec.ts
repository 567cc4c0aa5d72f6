import { signPoll } from '@seqpulse/hmac';
import { Server } from 'node:http';
import { startLoadGenerator } from './load-generator';
import { startStorefront } from './storefront';

describe('demo storefront (instrumented with @seqpulse/node)', () => {
  const secret = 'storefront-test-secret-0123456789';
  let server: Server;
  let url: string;

  beforeAll(async () => {
    process.env['SEQPULSE_HMAC_SECRET'] = secret;
    ({ server, url } = await startStorefront({ port: 0, clock: () => 60 * 60_000 + 10 * 60_000 }));
  });
  afterAll(async () => {
    delete process.env['SEQPULSE_HMAC_SECRET'];
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('serves its shop routes', async () => {
    expect(((await (await fetch(`${url}/products/3`)).json()) as { name: string }).name).toBe('Product 3');
    expect((await fetch(`${url}/products/999`)).status).toBe(404);
  });

  it('reports the traffic of its load generator on a signed poll only', async () => {
    const load = startLoadGenerator(url, () => 0); // 30 req/s
    await new Promise((r) => setTimeout(r, 2500));
    load.stop();
    expect((await fetch(`${url}/seqpulse-metrics`)).status).toBe(401);
    const res = await fetch(`${url}/seqpulse-metrics`, {
      headers: signPoll({ secret, url: `${url}/seqpulse-metrics`, projectId: 'demo' }),
    });
    expect(res.status).toBe(200);
    const { metrics } = (await res.json()) as { metrics: Record<string, number> };
    expect(metrics.requests_per_sec).toBeGreaterThan(5);
    expect(metrics.latency_p95).toBeGreaterThan(5);
  });
});
