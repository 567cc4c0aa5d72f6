import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { computeSignatureBytes, formatSignature, NonceStore, verifyRequest } from '@seqpulse/hmac';
import type { AlertStreamNotice, AlertWebhookPayload } from '@seqpulse/contracts';
import type { TestApp } from '../../testing/test-app';
import { CONTENT_SIGNATURE_HEADER, NotificationDispatcher } from '../notifications/notification-dispatcher';
import type { AlertEvaluator } from './alert-evaluator';
import { alertsOf, at, monitoredProject, NORMAL, Owner, series, startAlertTestApp, store, yesterday } from '../../testing/alert-fixtures';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP receiver on 127.0.0.1 that answers `status()` and records every request. */
class Receiver {
  readonly requests: Received[] = [];
  private server: Server | null = null;
  port = 0;
  constructor(public status: () => number = () => 200) {}

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.statusCode = this.status();
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

const MAX_ATTEMPTS = 4;

describe('Alert notifications (real HTTP receivers, real Postgres)', () => {
  let t: TestApp;
  let o: Owner;
  let evaluator: AlertEvaluator;
  let dispatcher: NotificationDispatcher;
  let listener: Client;
  const notices: AlertStreamNotice[] = [];
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    ({ t, evaluator, o } = await startAlertTestApp({
      SEQPULSE_NOTIFY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      SEQPULSE_NOTIFY_BACKOFF_S: '5',
      SEQPULSE_NOTIFY_TIMEOUT_MS: '2000',
    }));
    dispatcher = t.app.get(NotificationDispatcher);
    listener = new Client({ connectionString: t.config.DATABASE_URL });
    await listener.connect();
    listener.on('notification', (n) => notices.push(JSON.parse(n.payload ?? '{}')));
    await listener.query('LISTEN seqpulse_alerts');
  });
  afterAll(async () => {
    await listener.end();
    for (const r of receivers) await r.stop();
    await t.close();
  });

  const receiver = async (status?: () => number) => {
    const r = await new Receiver(status).start();
    receivers.push(r);
    return r;
  };
  const waitForNotices = async (n: number) => {
    for (let i = 0; i < 50 && notices.length < n; i++) await new Promise((r) => setTimeout(r, 20));
  };

  it('a webhook receiver that is down gets retries with backoff, each attempt recorded, and the alert state is unaffected', async () => {
    const { id, secret } = await monitoredProject(t, o, { hmac: true });
    expect(secret).toBeTruthy();
    const slack = await receiver();
    const webhook = await receiver();
    const webhookPort = webhook.port;
    await webhook.stop(); // down: connection refused
    const put = await t.call('PUT', `/projects/${id}/notifications`, {
      token: o.token,
      body: {
        webhook_url: `http://127.0.0.1:${webhookPort}/hooks/seqpulse/?team=ops`,
        slack_webhook_url: `http://127.0.0.1:${slack.port}/services/T0/B0/XYZ`,
      },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ project_id: id, webhook_url: `http://127.0.0.1:${webhookPort}/hooks/seqpulse/?team=ops` });

    const T0 = yesterday(3);
    await store(
      t,
      series(id, 'prod', T0, 20, () => ({ cpu_usage: 0.93 })),
    );
    const E = at(T0, 19 * 15 + 1);
    const before = notices.length;
    const fired = await evaluator.evaluate(E);
    const alert = fired.fired.find((a) => a.rule === 'cpu_high');
    expect(alert).toBeDefined();

    // The live stream gets the transition at commit.
    await waitForNotices(before + 1);
    expect(notices.filter((n) => n.project_id === id)).toEqual([
      { project_id: id, alert: expect.objectContaining({ id: alert?.id, rule: 'cpu_high', env: 'prod', state: 'firing', threshold: 0.8 }) },
    ]);

    // Attempt 1 at E: Slack delivered, webhook refused → retry in 5 s.
    expect(await dispatcher.processDue(E)).toEqual({ attempted: 2, delivered: 1, retrying: 1, failed: 0 });
    expect(slack.requests).toHaveLength(1);
    expect(JSON.parse(slack.requests[0].body)).toEqual({ text: expect.stringContaining('FIRING') });
    expect(JSON.parse(slack.requests[0].body).text).toContain('cpu_high');
    expect(await dispatcher.processDue(at(E, 4))).toEqual({ attempted: 0, delivered: 0, retrying: 0, failed: 0 }); // not due yet
    expect(await dispatcher.processDue(at(E, 5))).toMatchObject({ attempted: 1, retrying: 1 }); // attempt 2, next in 10 s
    expect(await dispatcher.processDue(at(E, 14))).toMatchObject({ attempted: 0 });
    expect(await dispatcher.processDue(at(E, 15))).toMatchObject({ attempted: 1, retrying: 1 }); // attempt 3, next in 20 s

    // Meanwhile evaluations go on: the alert is the same open alert, nothing is duplicated or resolved.
    const again = await evaluator.evaluate(at(E, 15));
    expect(again.fired.length + again.resolved.length).toBe(0);
    expect((await alertsOf(t, id)).map((a) => [a.id, a.state])).toEqual([[alert?.id, 'firing']]);

    // The receiver comes back: attempt 4 delivers, signed with HMAC v2 (POST) plus the body signature.
    await webhook.start(webhookPort);
    expect(await dispatcher.processDue(at(E, 35))).toEqual({ attempted: 1, delivered: 1, retrying: 0, failed: 0 });
    expect(webhook.requests).toHaveLength(1);
    const req = webhook.requests[0];
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    expect(
      verifyRequest({ secret: secret as string, method: req.method, path: req.url, headers: req.headers, nonceStore: new NonceStore() }),
    ).toEqual({ ok: true });
    expect(req.headers['x-seqpulse-canonical-path']).toBe('/hooks/seqpulse');
    const expectedContent = formatSignature(
      computeSignatureBytes(secret as string, `${req.headers['x-seqpulse-timestamp']}|${req.headers['x-seqpulse-nonce']}|${req.body}`),
    );
    expect(req.headers[CONTENT_SIGNATURE_HEADER.toLowerCase()]).toBe(expectedContent);
    const payload = JSON.parse(req.body) as AlertWebhookPayload;
    expect(payload).toMatchObject({
      type: 'alert.firing',
      project_id: id,
      delivery_id: req.headers['x-seqpulse-delivery'],
      alert: { id: alert?.id, rule: 'cpu_high', state: 'firing' },
    });
    expect(payload.alert.value).toBeCloseTo(0.93, 9);
    // A wrong secret does not verify.
    expect(
      verifyRequest({ secret: 'not-the-secret', method: req.method, path: req.url, headers: req.headers, nonceStore: new NonceStore() }),
    ).toEqual({ ok: false, reason: 'bad_signature' });

    const deliveries = await t.call('GET', `/projects/${id}/notifications/deliveries`, { token: o.token });
    expect(deliveries.status).toBe(200);
    const hook = deliveries.body.find((d: { channel: string }) => d.channel === 'webhook');
    expect(hook).toMatchObject({ alert_id: alert?.id, transition: 'firing', status: 'delivered', attempts: 4, next_attempt_at: null });
    expect(hook.attempt_log.map((a: { http_status: number | null; ok: boolean }) => [a.http_status, a.ok])).toEqual([
      [null, false],
      [null, false],
      [null, false],
      [200, true],
    ]);
    expect(hook.attempt_log[0].error).toMatch(/ECONNREFUSED/);
    expect(deliveries.body.find((d: { channel: string }) => d.channel === 'slack')).toMatchObject({ status: 'delivered', attempts: 1 });

    // Resolution is announced the same way.
    await store(
      t,
      series(id, 'prod', at(T0, 300), 21, () => ({ ...NORMAL })),
    );
    const resolved = await evaluator.evaluate(at(T0, 300 + 20 * 15 + 1));
    expect(resolved.resolved.map((a) => a.id)).toEqual([alert?.id]);
    await waitForNotices(before + 2);
    expect(notices.filter((n) => n.project_id === id).map((n) => n.alert.state)).toEqual(['firing', 'resolved']);
    expect(await dispatcher.processDue(at(T0, 700))).toMatchObject({ attempted: 2, delivered: 2 });
    expect(JSON.parse(webhook.requests[1].body)).toMatchObject({
      type: 'alert.resolved',
      alert: { id: alert?.id, state: 'resolved', resolution_reason: 'recovered' },
    });
    expect(JSON.parse(slack.requests[1].body).text).toContain('RESOLVED');
  });

  it('a transition reaches live-stream clients as an `alert` event', async () => {
    const { id } = await monitoredProject(t, o);
    const controller = new AbortController();
    const res = await fetch(`${t.url}/monitoring/enterprise/stream?project_id=${id}`, {
      headers: { authorization: `Bearer ${o.token}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    const T0 = yesterday(5);
    await store(
      t,
      series(id, 'prod', T0, 20, () => ({ latency_p95: 2000 })),
    );
    const fired = await evaluator.evaluate(at(T0, 19 * 15 + 1));
    const alert = fired.fired.find((a) => a.rule === 'latency_p95_high');
    const deadline = Date.now() + 5000;
    while (!text.includes('event: alert') && Date.now() < deadline) {
      const { value, done } = await Promise.race([
        reader.read(),
        new Promise<{ value: undefined; done: true }>((r) => setTimeout(() => r({ value: undefined, done: true }), 500)),
      ]);
      if (value) text += Buffer.from(value).toString('utf8');
    }
    controller.abort();
    const block = text.split('\n\n').find((b) => b.includes('event: alert')) ?? '';
    const data = JSON.parse(
      block
        .split('\n')
        .find((l) => l.startsWith('data: '))
        ?.slice(6) ?? 'null',
    );
    expect(data).toMatchObject({ id: alert?.id, rule: 'latency_p95_high', env: 'prod', state: 'firing', threshold: 500 });
  });

  it('gives up after the configured attempts (status failed) and never sends to an address the policy refuses at send time', async () => {
    const { id } = await monitoredProject(t, o, { hmac: true });
    const broken = await receiver(() => 503);
    expect(
      (await t.call('PUT', `/projects/${id}/notifications`, { token: o.token, body: { webhook_url: `http://127.0.0.1:${broken.port}/h` } }))
        .status,
    ).toBe(200);
    const T0 = yesterday(4);
    await store(
      t,
      series(id, 'prod', T0, 20, () => ({ memory_usage: 0.97 })),
    );
    const E = at(T0, 19 * 15 + 1);
    await evaluator.evaluate(E);
    let clock = E;
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) {
      await dispatcher.processDue(clock);
      clock = at(clock, 3600);
    }
    expect(broken.requests).toHaveLength(MAX_ATTEMPTS);
    const [hook] = (await t.call('GET', `/projects/${id}/notifications/deliveries`, { token: o.token })).body;
    expect(hook).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, delivered_at: null });
    expect(hook.attempt_log.map((a: { http_status: number }) => a.http_status)).toEqual(Array(MAX_ATTEMPTS).fill(503));
    expect((await alertsOf(t, id)).map((a) => a.state)).toEqual(['firing']);
    // Finished deliveries are pruned after SEQPULSE_FAILURE_RETENTION_DAYS (7), pending ones never.
    expect(await dispatcher.prune(new Date(Date.now() + 6 * 86_400_000))).toBe(0);
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM notification_deliveries WHERE status <> 'pending'`)).rows[0].n;
    expect(await dispatcher.prune(new Date(Date.now() + 8 * 86_400_000))).toBe(before);
    await t.db.query(
      `INSERT INTO notification_deliveries (project_id, alert_id, channel, transition, url, body, status, attempts, max_attempts, next_attempt_at)
                      SELECT project_id, id, 'webhook', 'firing', 'http://127.0.0.1:9/h', '{}', 'failed', 4, 4, now() FROM alerts WHERE project_id = $1`,
      [id],
    );

    // The outbox row's address is checked again when sending: the metadata address is never called.
    await t.db.query(
      `UPDATE notification_deliveries SET url = 'http://169.254.169.254/latest', status = 'pending', attempts = 0, next_attempt_at = $2 WHERE project_id = $1`,
      [id, clock],
    );
    expect(await dispatcher.processDue(clock)).toMatchObject({ attempted: 1, retrying: 1 });
    const [rechecked] = (await t.call('GET', `/projects/${id}/notifications/deliveries`, { token: o.token })).body;
    expect(rechecked.attempt_log[rechecked.attempt_log.length - 1]).toMatchObject({
      ok: false,
      http_status: null,
      error: expect.stringMatching(/^address refused/),
    });
  });

  it('notification settings: owner session only, the same address checks as metrics endpoints (400), absent fields turn a channel off', async () => {
    const { id } = await monitoredProject(t, o);
    const empty = await t.call('GET', `/projects/${id}/notifications`, { token: o.token });
    expect(empty.body).toEqual({ project_id: id, webhook_url: null, slack_webhook_url: null, updated_at: null });

    const good = await t.call('PUT', `/projects/${id}/notifications`, {
      token: o.token,
      body: { webhook_url: 'http://127.0.0.1:9/h', slack_webhook_url: 'http://127.0.0.1:9/s' },
    });
    expect(good.status).toBe(200);
    for (const [body, field] of [
      [{ webhook_url: 'http://169.254.169.254/latest/meta-data' }, 'webhook_url'],
      [{ webhook_url: 'ftp://example.com/x' }, 'webhook_url'],
      [{ slack_webhook_url: 'https://user:pw@example.com/x' }, 'slack_webhook_url'],
      [{ slack_webhook_url: 'not a url' }, 'slack_webhook_url'],
      [{ webhook_url: 42 }, 'webhook_url'],
    ] as const) {
      const res = await t.call('PUT', `/projects/${id}/notifications`, { token: o.token, body });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const unknown = await t.call('PUT', `/projects/${id}/notifications`, { token: o.token, body: { webhook: 'http://127.0.0.1:9/h' } });
    expect(unknown.status).toBe(400);
    // Refused updates changed nothing.
    expect((await t.call('GET', `/projects/${id}/notifications`, { token: o.token })).body).toMatchObject({
      webhook_url: 'http://127.0.0.1:9/h',
      slack_webhook_url: 'http://127.0.0.1:9/s',
    });

    const off = await t.call('PUT', `/projects/${id}/notifications`, {
      token: o.token,
      body: { slack_webhook_url: 'http://127.0.0.1:9/s' },
    });
    expect(off.body).toMatchObject({ webhook_url: null, slack_webhook_url: 'http://127.0.0.1:9/s' });

    const stranger = await t.signupAndLogin();
    expect((await t.call('GET', `/projects/${id}/notifications`, { token: stranger.token })).status).toBe(404);
    expect((await t.call('PUT', `/projects/${id}/notifications`, { token: stranger.token, body: {} })).body.code).toBe('project_not_found');
    const key = await t.call('POST', '/api-keys', { token: o.token, body: { name: 'k', scopes: ['monitoring:read', 'alerts:write'] } });
    expect((await t.call('GET', `/projects/${id}/notifications`, { apiKey: key.body.key })).body.code).toBe('insufficient_scope');
    expect((await t.call('GET', `/projects/${id}/notifications`)).status).toBe(401);
    expect((await t.call('GET', `/projects/not-a-uuid/notifications`, { token: o.token })).status).toBe(404);
  });
});
