import 'reflect-metadata';
import { signPoll } from '@seqpulse/hmac';
import { Controller, Get, HttpException, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express from 'express';
import { createServer, request, RequestListener, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SeqPulse } from '../seqpulse';
import { connectMiddleware } from './express';
import { createNestModule } from './nest';
import { wrapHandler } from './node-http';

const secret = 'adapter-test-secret-0123456789';

async function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** GET with headers given as a list, so a header can be sent twice. */
function get(url: string, headers: [string, string | string[]][] = []): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    for (const [name, value] of headers) req.setHeader(name, value);
    req.on('error', reject).end();
  });
}

const signed = (url: string, overrides: { now?: Date; secret?: string } = {}) =>
  Object.entries(signPoll({ secret: overrides.secret ?? secret, url, projectId: 'prj_1', now: overrides.now })) as [string, string][];

/** Same app logic for every framework: /ok answers 200 after ~delay ms, /boom 503, /missing 404. */
async function drive(url: string) {
  for (let i = 0; i < 8; i++) expect((await get(`${url}/ok`)).status).toBe(200);
  expect((await get(`${url}/boom`)).status).toBe(503);
  expect((await get(`${url}/missing`)).status).toBe(404);
}

async function expectCounted(url: string, endpoint = '/seqpulse-metrics') {
  const first = await get(`${url}${endpoint}`, signed(`${url}${endpoint}`));
  expect(first.status).toBe(200);
  const { metrics } = JSON.parse(first.body);
  expect(Object.keys(metrics).sort()).toEqual(['cpu_usage', 'error_rate', 'latency_p95', 'memory_usage', 'requests_per_sec']);
  // 10 requests, 1 of them a 5xx (the 404 is not an error); the endpoint itself never counts.
  expect(metrics.error_rate).toBeCloseTo(0.1, 6);
  expect(metrics.requests_per_sec).toBeGreaterThan(0);
  expect(metrics.latency_p95).toBeGreaterThanOrEqual(20 * 0.99);
  const second = JSON.parse((await get(`${url}${endpoint}`, signed(`${url}${endpoint}`))).body).metrics;
  expect(second.error_rate).toBeCloseTo(0.1, 6);
}

const appLogic = (path: string | undefined, reply: (status: number) => void) => {
  if (path === '/ok') setTimeout(() => reply(200), 20);
  else if (path === '/boom') reply(503);
  else reply(404);
};

describe('adapters over real HTTP', () => {
  let core: SeqPulse;
  let server: Server | undefined;
  beforeEach(() => (core = new SeqPulse({ hmacSecret: secret })));
  afterEach(async () => {
    core.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    server = undefined;
  });

  it('node:http wrap(): serves the endpoint, counts the rest', async () => {
    const started = await listen(
      wrapHandler(
        () => core,
        (req, res) => appLogic(req.url, (s) => ((res.statusCode = s), res.end())),
      ),
    );
    server = started.server;
    await drive(started.url);
    await expectCounted(started.url);
  });

  it('Express: app.use(metrics()) before the routes', async () => {
    const app = express();
    app.use(connectMiddleware(() => core));
    app.get('/ok', (_req, res) => void setTimeout(() => res.send('ok'), 20));
    app.get('/boom', (_req, res) => void res.status(503).send('down'));
    const started = await listen(app);
    server = started.server;
    await drive(started.url);
    await expectCounted(started.url);
  });

  it('Express: inside a mounted router, `endpoint` is the full path (what SeqPulse requests and signs)', async () => {
    const app = express();
    const router = express.Router();
    router.use(connectMiddleware(() => core));
    app.use('/internal', router);
    const started = await listen(app);
    server = started.server;
    expect((await get(`${started.url}/internal/seqpulse-metrics`, signed(`${started.url}/internal/seqpulse-metrics`))).status).toBe(404);
    core.close();
    core = new SeqPulse({ hmacSecret: secret, endpoint: '/internal/seqpulse-metrics' });
    expect((await get(`${started.url}/internal/seqpulse-metrics`, signed(`${started.url}/internal/seqpulse-metrics`))).status).toBe(200);
  });

  it('NestJS (Express platform): imports: [SeqPulseModule.forRoot()]', async () => {
    @Controller()
    class AppController {
      @Get(':name')
      async answer(@Param('name') name: string) {
        if (name === 'boom') throw new HttpException('down', 503);
        if (name !== 'ok') throw new HttpException('missing', 404);
        await new Promise((r) => setTimeout(r, 20));
        return 'ok';
      }
    }
    const SeqPulseModule = createNestModule(
      () => core,
      (options) => {
        core.close();
        return (core = new SeqPulse(options));
      },
    );
    @Module({ imports: [SeqPulseModule.forRoot({ hmacSecret: secret })], controllers: [AppController] })
    class AppModule {}
    const app = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
      await drive(url);
      await expectCounted(url);
    } finally {
      await app.close();
    }
  });
});

describe('the endpoint refuses bad polls with a bare 401', () => {
  let core: SeqPulse;
  let server: Server;
  let url: string;
  const rejected: string[] = [];
  beforeAll(async () => {
    core = new SeqPulse({ hmacSecret: secret, onRejected: (reason) => rejected.push(reason) });
    ({ server, url } = await listen(
      wrapHandler(
        () => core,
        (_req, res) => res.end('app'),
      ),
    ));
  });
  afterAll(async () => {
    core.close();
    await new Promise((r) => server.close(r));
  });
  const endpoint = () => `${url}/seqpulse-metrics`;

  it.each([
    ['no signature', () => []],
    ['a wrong secret', () => signed(endpoint(), { secret: 'not-the-secret-000000' })],
    ['a signature 301 s old', () => signed(endpoint(), { now: new Date(Date.now() - 301_000) })],
    ['a signature for another path', () => signed(`${url}/other`)],
    ['a repeated signature header', () => signed(endpoint()).map(([n, v]) => [n, n === 'X-SeqPulse-Signature' ? [v, v] : v])],
    ['a repeated timestamp header', () => signed(endpoint()).map(([n, v]) => [n, n === 'X-SeqPulse-Timestamp' ? [v, v] : v])],
  ] as [string, () => [string, string | string[]][]][])('%s', async (_what, headers) => {
    const res = await get(endpoint(), headers());
    expect(res).toEqual({ status: 401, body: '{"error":"unauthorized"}' });
  });

  it('a replayed poll', async () => {
    const headers = signed(endpoint());
    expect((await get(endpoint(), headers)).status).toBe(200);
    expect(await get(endpoint(), headers)).toEqual({ status: 401, body: '{"error":"unauthorized"}' });
    expect(rejected).toContain('nonce_reused');
  });

  it('tells the operator why through onRejected only', () => {
    expect(rejected).toEqual(expect.arrayContaining(['missing_headers', 'bad_signature', 'timestamp_skew', 'path_mismatch']));
  });
});
