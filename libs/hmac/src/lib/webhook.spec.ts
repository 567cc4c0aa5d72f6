import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { NonceStore } from './nonce-store';
import { CONTENT_SIGNATURE_HEADER, signWebhook, verifyWebhook } from './webhook';

const secret = 'webhook-secret-0123456789';
const body = JSON.stringify({ alert: { rule: 'error_rate_high', state: 'firing' } });
const now = new Date('2026-11-28T10:15:00Z');

describe('verifyWebhook', () => {
  const signed = () => signWebhook({ secret, url: 'https://hooks.example.com/seqpulse/alerts', projectId: 'p1', body, now });

  it('accepts what signWebhook produced, with and without the path check', () => {
    const headers = signed();
    expect(verifyWebhook({ secret, body, headers, nonceStore: new NonceStore(), now })).toEqual({ ok: true });
    expect(
      verifyWebhook({ secret, body: Buffer.from(body), headers, nonceStore: new NonceStore(), now, path: '/seqpulse/alerts/' }),
    ).toEqual({
      ok: true,
    });
  });

  it('refuses a changed body, a wrong secret, another path, a replay and a stale timestamp', () => {
    const headers = signed();
    const check = (overrides: Partial<Parameters<typeof verifyWebhook>[0]>) =>
      verifyWebhook({ secret, body, headers, nonceStore: new NonceStore(), now, ...overrides });
    expect(check({ body: body.replace('firing', 'resolved') })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check({ secret: 'another-secret-987654321' })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(check({ path: '/elsewhere' })).toEqual({ ok: false, reason: 'path_mismatch' });
    expect(check({ now: new Date(now.getTime() + 301_000) })).toEqual({ ok: false, reason: 'timestamp_skew' });
    const { [CONTENT_SIGNATURE_HEADER]: _dropped, ...unsigned } = headers;
    expect(check({ headers: unsigned })).toEqual({ ok: false, reason: 'missing_headers' });
    const store = new NonceStore();
    expect(check({ nonceStore: store })).toEqual({ ok: true });
    expect(check({ nonceStore: store })).toEqual({ ok: false, reason: 'nonce_reused' });
  });

  it('verifies a real HTTP delivery from its raw body and Node headers', async () => {
    const store = new NonceStore();
    let verdict: unknown;
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        verdict = verifyWebhook({ secret, body: Buffer.concat(chunks), headers: req.headers, nonceStore: store, path: req.url ?? '/' });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/seqpulse`;
    try {
      await fetch(url, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', ...signWebhook({ secret, url, projectId: 'p1', body }) },
      });
      expect(verdict).toEqual({ ok: true });
    } finally {
      server.close();
    }
  });
});
