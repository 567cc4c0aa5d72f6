import { signPoll } from '@seqpulse/hmac';
import { DemoFleet, startDemoFleet } from './fleet';
import { httpRequest } from './testing/http-request';

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
const SECRET = 'fleet-test-secret';
const SIGNED = 'signed-svc';

describe('demo fleet HMAC v2 verification', () => {
  let fleet: DemoFleet;
  let now = T0;

  const urlOf = (name: string) => `${fleet.url}/targets/${name}/metrics`;
  const sign = (overrides: Partial<Parameters<typeof signPoll>[0]> = {}) =>
    signPoll({
      secret: SECRET,
      url: urlOf(SIGNED),
      projectId: 'prj_test',
      now: new Date(now),
      ...overrides,
    });
  const poll = (name: string, headers: Record<string, string> = {}, path = `/targets/${name}/metrics`) =>
    httpRequest(fleet.url, path, { headers });
  const expectRejected = async (response: Promise<{ status: number; json(): unknown }>, reason: string) => {
    const res = await response;
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ error: reason });
  };

  beforeAll(async () => {
    fleet = await startDemoFleet({
      port: 0,
      clock: () => now,
      secrets: { [SIGNED]: SECRET },
    });
  });
  afterAll(() => fleet.close());
  beforeEach(() => {
    now += 60_000; // a fresh minute per test; nonces are random anyway
  });

  it('accepts a valid signature', async () => {
    const res = await poll(SIGNED, sign());
    expect(res.status).toBe(200);
    expect(res.json()).toHaveProperty('metrics');
  });

  it('accepts a signed URL with a query string', async () => {
    const headers = sign({ url: `${urlOf(SIGNED)}?cache=0` });
    expect((await poll(SIGNED, headers, `/targets/${SIGNED}/metrics?cache=0`)).status).toBe(200);
  });

  it('keeps the signed headers of the last poll for tests', async () => {
    const headers = sign();
    await poll(SIGNED, headers);
    const log = (await httpRequest(fleet.url, `/control/targets/${SIGNED}/requests`)).json<{
      last_status: number;
      last_headers: Record<string, string>;
    }>();
    expect(log.last_status).toBe(200);
    expect(log.last_headers['x-seqpulse-signature']).toBe(headers['X-SeqPulse-Signature']);
    expect(log.last_headers['x-seqpulse-project-id']).toBe('prj_test');
  });

  it('rejects an unsigned poll: missing_headers', async () => {
    await expectRejected(poll(SIGNED), 'missing_headers');
  });

  it('rejects a tampered signature: bad_signature', async () => {
    const headers = sign();
    const sig = headers['X-SeqPulse-Signature'];
    headers['X-SeqPulse-Signature'] = sig.slice(0, -2) + (sig.endsWith('00') ? '11' : '00');
    await expectRejected(poll(SIGNED, headers), 'bad_signature');
  });

  it('rejects another secret: bad_signature', async () => {
    await expectRejected(poll(SIGNED, sign({ secret: 'not-the-secret' })), 'bad_signature');
  });

  it('rejects a signature 301 s old but accepts one 299 s old: timestamp_skew', async () => {
    await expectRejected(poll(SIGNED, sign({ now: new Date(now - 301_000) })), 'timestamp_skew');
    expect((await poll(SIGNED, sign({ now: new Date(now - 299_000) }))).status).toBe(200);
  });

  it('rejects a signature 31 s ahead but accepts one 29 s ahead: timestamp_skew', async () => {
    await expectRejected(poll(SIGNED, sign({ now: new Date(now + 31_000) })), 'timestamp_skew');
    expect((await poll(SIGNED, sign({ now: new Date(now + 29_000) }))).status).toBe(200);
  });

  it('rejects a replayed request: nonce_reused', async () => {
    const headers = sign();
    expect((await poll(SIGNED, headers)).status).toBe(200);
    now += 15_000;
    await expectRejected(poll(SIGNED, headers), 'nonce_reused');
  });

  it('rejects another signature version: bad_version', async () => {
    await expectRejected(poll(SIGNED, { ...sign(), 'X-SeqPulse-Signature-Version': 'v1' }), 'bad_version');
  });

  it('rejects a signature made for another target: path_mismatch', async () => {
    await expectRejected(poll(SIGNED, sign({ url: urlOf('other-svc') })), 'path_mismatch');
  });

  it('needs no signature on targets without a secret, and ignores one if sent', async () => {
    expect((await poll('open-svc')).status).toBe(200);
    expect((await poll('open-svc', sign({ secret: 'whatever' }))).status).toBe(200);
  });

  it('lets tests add and remove secrets at runtime', async () => {
    fleet.setSecret('late-svc', 'late-secret');
    await expectRejected(poll('late-svc'), 'missing_headers');
    const headers = sign({ secret: 'late-secret', url: urlOf('late-svc') });
    expect((await poll('late-svc', headers)).status).toBe(200);
    fleet.setSecret('late-svc', null);
    expect((await poll('late-svc')).status).toBe(200);
  });
});
