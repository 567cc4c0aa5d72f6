import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppConfig } from '../config/app-config';
import { Poller } from '../collection/poller';
import { NotificationSender } from '../notifications/notification-sender';
import { startTestApp, TestApp } from '../../testing/test-app';
import { TestDnsServer } from '../../testing/dns-server';
import { TargetAddressPolicy } from '../target-address/target-address.policy';

/** Literal forms of metadata, link-local, CGNAT, unspecified and broadcast addresses, IPv4 and IPv6-embedded. */
const FORBIDDEN_LITERALS = [
  '169.254.169.254',
  '169.254.10.1',
  '100.64.0.1',
  '100.100.100.200',
  '0.0.0.0',
  '255.255.255.255',
  '[::ffff:169.254.169.254]',
  '[::ffff:a9fe:a9fe]',
  '[::169.254.169.254]',
  '[64:ff9b::a9fe:a9fe]',
  '[2002:a9fe:a9fe::1]',
  '[2001:0:4136:e378:8000:63bf:5601:5601]',
  '[fe80::1]',
  '[fd00:ec2::254]',
  '[::]',
];

/** Names whose answers are forbidden (resolved through the test DNS server). */
const FORBIDDEN_NAMES: Record<string, { A?: string[]; AAAA?: string[] }> = {
  'metadata.test': { A: ['169.254.169.254'] },
  'mapped.test': { AAAA: ['::ffff:169.254.169.254'] },
  'nat64.test': { AAAA: ['64:ff9b::a9fe:a9fe'] },
  'teredo.test': { AAAA: ['2001:0:4136:e378:8000:63bf:5601:5601'] },
  'cgnat.test': { A: ['100.100.100.200'] },
  'mixed.test': { A: ['8.8.8.8', '169.254.169.254'] },
};

describe('one guarded outbound client: polls, webhooks and Slack (private targets allowed, real DNS, real HTTP)', () => {
  let t: TestApp;
  let dns: TestDnsServer;
  let receiver: Server;
  let port: number;
  let received: string[];
  let owner: string;
  let project: string;

  beforeAll(async () => {
    dns = await TestDnsServer.start();
    for (const [name, records] of Object.entries(FORBIDDEN_NAMES)) dns.set(name, records);
    dns.set('public.test', { A: ['8.8.8.8'] });
    received = [];
    receiver = createServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      // No keep-alive: every call opens (and so checks) a new connection.
      res.setHeader('connection', 'close');
      res.end(JSON.stringify({ metrics: { requests_per_sec: 1, latency_p95: 2, error_rate: 0, cpu_usage: 0.1, memory_usage: 0.2 } }));
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    port = (receiver.address() as AddressInfo).port;
    t = await startTestApp({ SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true', SEQPULSE_DNS_SERVERS: dns.address });
    owner = (await t.signupAndLogin()).token;
    const created = await t.call('POST', '/projects', {
      token: owner,
      body: { name: 'p', envs: ['prod'], metrics_endpoint: `http://127.0.0.1:${port}/metrics` },
    });
    expect(created.status).toBe(201);
    project = created.body.id;
  });
  afterAll(async () => {
    await t?.close();
    await dns?.close();
    receiver?.close();
  });

  const hosts = () => [...FORBIDDEN_LITERALS, ...Object.keys(FORBIDDEN_NAMES)];

  it('refuses every forbidden form at validation for project endpoints, webhooks and Slack, without echoing resolved addresses', async () => {
    for (const host of hosts()) {
      const url = `http://${host}:${port}/hook`;
      const endpoint = await t.call('PATCH', `/projects/${project}`, { token: owner, body: { metrics_endpoint: url } });
      const webhook = await t.call('PUT', `/projects/${project}/notifications`, { token: owner, body: { webhook_url: url } });
      const slack = await t.call('PUT', `/projects/${project}/notifications`, { token: owner, body: { slack_webhook_url: url } });
      for (const res of [endpoint, webhook, slack]) {
        expect({ host, status: res.status, code: res.body.code }).toEqual({ host, status: 400, code: 'validation_failed' });
        if (!host.startsWith('[') && !/^\d/.test(host)) expect(res.text).not.toMatch(/169\.254|100\.100|a9fe|64:ff9b|2001:0/);
      }
    }
    const stored = await t.call('GET', `/projects/${project}`, { token: owner });
    expect(stored.body.metrics_endpoint).toBe(`http://127.0.0.1:${port}/metrics`);
  });

  it('accepts loopback and names resolving to allowed addresses', async () => {
    dns.set('local.test', { A: ['127.0.0.1'] });
    const ok = await t.call('PUT', `/projects/${project}/notifications`, {
      token: owner,
      body: { webhook_url: `http://local.test:${port}/hook`, slack_webhook_url: `http://public.test/slack` },
    });
    expect(ok.status).toBe(200);
  });

  it('re-resolves at connect time: a name valid when saved that now answers a metadata address is refused (poll, webhook, Slack)', async () => {
    dns.set('flip.test', { A: ['127.0.0.1'] });
    const saved = await t.call('PUT', `/projects/${project}/notifications`, {
      token: owner,
      body: { webhook_url: `http://flip.test:${port}/hook`, slack_webhook_url: `http://flip.test:${port}/slack` },
    });
    expect(saved.status).toBe(200);
    const endpoint = await t.call('PATCH', `/projects/${project}`, {
      token: owner,
      body: { metrics_endpoint: `http://flip.test:${port}/metrics` },
    });
    expect(endpoint.status).toBe(200);

    const sender = t.app.get(NotificationSender);
    const poller = new Poller({ timeoutMs: 2000, maxBytes: 65536, targets: t.app.get(TargetAddressPolicy), connectionsPerOrigin: 1 });
    try {
      // While the name answers loopback, the calls reach the receiver.
      expect((await sender.post(`http://flip.test:${port}/hook`, '{}', {})).ok).toBe(true);
      expect(
        await poller.poll({ projectId: project, env: 'prod', url: `http://flip.test:${port}/metrics`, hmacSecret: null }),
      ).toMatchObject({
        ok: true,
      });
      expect(received).toEqual(expect.arrayContaining(['POST /hook', 'GET /metrics']));
      await poller.close();

      dns.set('flip.test', { A: ['169.254.169.254'] });
      const before = received.length;
      const fresh = new Poller({ timeoutMs: 2000, maxBytes: 65536, targets: t.app.get(TargetAddressPolicy) });
      const polled = await fresh.poll({ projectId: project, env: 'prod', url: `http://flip.test:${port}/metrics`, hmacSecret: null });
      await fresh.close();
      expect(polled).toMatchObject({ ok: false, reason: 'blocked_address' });
      expect(JSON.stringify(polled)).not.toContain('169.254');
      for (const path of ['/hook', '/slack']) {
        const result = await sender.post(`http://flip.test:${port}${path}`, '{}', {});
        expect(result).toMatchObject({ ok: false, httpStatus: null, error: expect.stringContaining('address refused') });
        expect(result.error).not.toContain('169.254');
        expect((result.error ?? '').length).toBeLessThanOrEqual(200);
      }
      expect(received.length).toBe(before);
    } finally {
      await poller.close().catch(() => undefined);
    }
  });

  it('resolves with a timeout instead of waiting on a silent DNS server', async () => {
    const silent = await TestDnsServer.start({ silent: true });
    try {
      const policy = new TargetAddressPolicy(
        Object.assign(new AppConfig(), {
          SEQPULSE_DEMO: false,
          SEQPULSE_ALLOW_PRIVATE_TARGETS: true,
          SEQPULSE_DNS_SERVERS: silent.address,
          SEQPULSE_DNS_TIMEOUT_MS: 200,
        }),
      );
      const started = Date.now();
      const result = await policy.check('http://slow.test/metrics');
      expect(result).toEqual({ ok: false, reason: 'host slow.test did not resolve in time' });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(silent.queries).toBeGreaterThan(0);
    } finally {
      await silent.close();
    }
  });
});
