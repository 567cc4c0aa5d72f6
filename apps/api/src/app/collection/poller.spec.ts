import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { verifyPoll, NonceStore } from '@seqpulse/hmac';
import { AppConfig } from '../config/app-config';
import { TargetAddressPolicy } from '../target-address/target-address.policy';
import { Poller, pollUrl } from './poller';

const targets = (allowPrivate: boolean) =>
  new TargetAddressPolicy(Object.assign(new AppConfig(), { SEQPULSE_DEMO: false, SEQPULSE_ALLOW_PRIVATE_TARGETS: allowPrivate }));

const good = { metrics: { requests_per_sec: 12.5, latency_p95: 180, error_rate: 0.002, cpu_usage: 0.41, memory_usage: 0.63 } };

describe('pollUrl', () => {
  it('substitutes {env} or adds env to the query', () => {
    expect(pollUrl('http://h/targets/shop-{env}/metrics', 'prod')).toBe('http://h/targets/shop-prod/metrics');
    expect(pollUrl('http://h/metrics?x=1', 'staging')).toBe('http://h/metrics?x=1&env=staging');
  });
});

describe('Poller over real HTTP', () => {
  let server: Server;
  let base: string;
  let handler: (req: IncomingMessage, res: ServerResponse) => void;
  const poller = new Poller({ timeoutMs: 300, maxBytes: 1024, targets: targets(true) });
  const strict = new Poller({ timeoutMs: 300, maxBytes: 1024, targets: targets(false) });

  beforeAll(async () => {
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await poller.close();
    await strict.close();
    server.closeAllConnections();
    server.close();
  });

  const poll = (secret: string | null = null) => poller.poll({ projectId: 'p1', env: 'prod', url: `${base}/metrics`, hmacSecret: secret });

  it('returns the five values of a valid answer', async () => {
    handler = (_req, res) => res.end(JSON.stringify({ ...good, extra: true }));
    expect(await poll()).toMatchObject({ ok: true, values: good.metrics });
  });

  it('signs with HMAC v2 so that a receiver accepts it', async () => {
    let verdict: unknown;
    handler = (req, res) => {
      verdict = verifyPoll({
        secret: 's3cret-s3cret-s3cret',
        method: 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        nonceStore: new NonceStore(),
      });
      res.end(JSON.stringify(good));
    };
    await poll('s3cret-s3cret-s3cret');
    expect(verdict).toEqual({ ok: true });
  });

  it.each([
    ['not JSON', (_q: IncomingMessage, r: ServerResponse) => r.end('<html>'), 'invalid_payload'],
    [
      'a metric out of range',
      (_q: IncomingMessage, r: ServerResponse) => r.end(JSON.stringify({ metrics: { ...good.metrics, cpu_usage: 2 } })),
      'invalid_payload',
    ],
    ['no metrics key', (_q: IncomingMessage, r: ServerResponse) => r.end('{}'), 'invalid_payload'],
    [
      'a 503',
      (_q: IncomingMessage, r: ServerResponse) => {
        r.statusCode = 503;
        r.end();
      },
      'http_status',
    ],
    ['a body over the cap', (_q: IncomingMessage, r: ServerResponse) => r.end('x'.repeat(5000)), 'too_large'],
    [
      'a chunked body over the cap',
      (_q: IncomingMessage, r: ServerResponse) => {
        r.write('x'.repeat(800));
        r.end('y'.repeat(800));
      },
      'too_large',
    ],
    ['no answer', () => undefined, 'timeout'],
  ])('classifies %s', async (_label, h, reason) => {
    handler = h as typeof handler;
    expect(await poll()).toMatchObject({ ok: false, reason });
  });

  it('reports hmac_rejected when a signed poll is refused', async () => {
    handler = (_req, res) => {
      res.statusCode = 401;
      res.end();
    };
    expect(await poll('secret-secret-secret')).toMatchObject({ ok: false, reason: 'hmac_rejected', detail: { status: 401 } });
  });

  it('keeps what it stores of an invalid answer small, whatever the endpoint sends', async () => {
    handler = (_req, res) => res.end(JSON.stringify({ metrics: { ...good.metrics, error_rate: 'x'.repeat(900) } }));
    const outcome = await poll();
    expect(outcome).toMatchObject({ ok: false, reason: 'invalid_payload', detail: { metric: 'error_rate' } });
    expect(JSON.stringify(outcome.ok === false && outcome.detail).length).toBeLessThan(400);
  });

  it('reports connection_refused and blocked_address', async () => {
    expect(await poller.poll({ projectId: 'p', env: 'prod', url: 'http://127.0.0.1:1/m', hmacSecret: null })).toMatchObject({
      reason: 'connection_refused',
    });
    expect(await strict.poll({ projectId: 'p', env: 'prod', url: `${base}/metrics`, hmacSecret: null })).toMatchObject({
      reason: 'blocked_address',
    });
    expect(await strict.poll({ projectId: 'p', env: 'prod', url: 'http://localhost:1/m', hmacSecret: null })).toMatchObject({
      reason: 'blocked_address',
    });
    const metadata = await poller.poll({ projectId: 'p', env: 'prod', url: 'http://169.254.169.254/latest', hmacSecret: null });
    expect(metadata).toMatchObject({ reason: 'blocked_address' });
    for (const form of ['[::ffff:169.254.169.254]', '[64:ff9b::a9fe:a9fe]', '[2002:a9fe:a9fe::1]', '100.100.100.200']) {
      expect(await poller.poll({ projectId: 'p', env: 'prod', url: `http://${form}/latest`, hmacSecret: null })).toMatchObject({
        reason: 'blocked_address',
      });
    }
  });
});
