import { NonceStore } from './nonce-store';
import { signPoll, signRequest } from './sign';
import { verifyPoll, VerifyPollOptions } from './verify';

const secret = 'demo-secret-1';
const url = 'http://127.0.0.1:4100/targets/shop-prod/metrics';
const path = '/targets/shop-prod/metrics';
const signedAt = new Date('2026-11-28T10:15:00Z');

/** Node lowercases incoming header names: mimic what a receiver really sees. */
function asNodeHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function signedHeaders(overrides: Partial<Parameters<typeof signPoll>[0]> = {}) {
  return asNodeHeaders(signPoll({ secret, url, projectId: 'prj_1', now: signedAt, ...overrides }));
}

function verify(options: Partial<VerifyPollOptions> & Pick<VerifyPollOptions, 'headers'>) {
  return verifyPoll({
    secret,
    method: 'GET',
    path,
    now: signedAt,
    nonceStore: new NonceStore(),
    ...options,
  });
}

const secondsAfterSigning = (s: number) => new Date(signedAt.getTime() + s * 1000);

describe('verifyPoll', () => {
  it('accepts a valid signature', () => {
    expect(verify({ headers: signedHeaders() })).toEqual({ ok: true });
  });

  it('accepts headers in their original case and with a query string on the path', () => {
    const headers = signPoll({ secret, url, projectId: 'p', now: signedAt });
    expect(verify({ headers, path: `${path}/?cache=0` })).toEqual({ ok: true });
  });

  it('accepts a Fetch Headers instance', () => {
    expect(verify({ headers: new Headers(signedHeaders()) })).toEqual({
      ok: true,
    });
  });

  it('verifies other methods with the same scheme', () => {
    const headers = signRequest({
      secret,
      method: 'POST',
      url,
      projectId: 'p',
      now: signedAt,
    });
    expect(verify({ headers, method: 'POST' })).toEqual({ ok: true });
    expect(verify({ headers, method: 'GET' })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  describe('missing_headers', () => {
    it.each(['x-seqpulse-timestamp', 'x-seqpulse-nonce', 'x-seqpulse-signature', 'x-seqpulse-signature-version'])('without %s', (name) => {
      const headers = signedHeaders();
      delete headers[name];
      expect(verify({ headers })).toEqual({
        ok: false,
        reason: 'missing_headers',
      });
    });

    it('with no headers at all', () => {
      expect(verify({ headers: {} })).toEqual({
        ok: false,
        reason: 'missing_headers',
      });
    });

    it('with a nonce that is not URL-safe', () => {
      const headers = signedHeaders({ nonce: 'not url/safe+nonce==' });
      expect(verify({ headers })).toEqual({
        ok: false,
        reason: 'missing_headers',
      });
    });
  });

  it('rejects another signature version', () => {
    const headers = {
      ...signedHeaders(),
      'x-seqpulse-signature-version': 'v1',
    };
    expect(verify({ headers })).toEqual({ ok: false, reason: 'bad_version' });
  });

  it('rejects a canonical-path header that differs from the requested path', () => {
    const headers = signedHeaders();
    expect(verify({ headers, path: '/targets/other/metrics' })).toEqual({
      ok: false,
      reason: 'path_mismatch',
    });
  });

  it('checks the signature against the real path even without the canonical-path header', () => {
    const headers = signedHeaders();
    delete headers['x-seqpulse-canonical-path'];
    expect(verify({ headers })).toEqual({ ok: true });
    expect(verify({ headers, path: '/targets/other/metrics' })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  describe('bad_signature', () => {
    it('with a tampered signature', () => {
      const headers = signedHeaders();
      const sig = headers['x-seqpulse-signature'];
      const flipped = sig.slice(0, -1) + (sig.endsWith('0') ? '1' : '0');
      expect(verify({ headers: { ...headers, 'x-seqpulse-signature': flipped } })).toEqual({
        ok: false,
        reason: 'bad_signature',
      });
    });

    it('with a wrong secret', () => {
      expect(verify({ headers: signedHeaders(), secret: 'another-secret' })).toEqual({
        ok: false,
        reason: 'bad_signature',
      });
    });

    it('with a tampered nonce', () => {
      const headers = {
        ...signedHeaders(),
        'x-seqpulse-nonce': 'AAAAAAAAAAAAAAAAAAAAAA',
      };
      expect(verify({ headers })).toEqual({
        ok: false,
        reason: 'bad_signature',
      });
    });

    it.each(['sha256=abc', 'sha1=' + 'a'.repeat(64), 'a'.repeat(64), 'sha256=' + 'z'.repeat(64)])(
      'with a malformed signature %j',
      (signature) => {
        const headers = { ...signedHeaders(), 'x-seqpulse-signature': signature };
        expect(verify({ headers })).toEqual({
          ok: false,
          reason: 'bad_signature',
        });
      },
    );

    it('accepts upper-case hex', () => {
      const headers = signedHeaders();
      headers['x-seqpulse-signature'] = 'sha256=' + headers['x-seqpulse-signature'].slice(7).toUpperCase();
      expect(verify({ headers })).toEqual({ ok: true });
    });
  });

  describe('timestamp window', () => {
    it.each([
      [299, true],
      [300, true],
      [301, false],
      [-29, true],
      [-30, true],
      [-31, false],
    ])('a signature %i s old is accepted: %s', (ageSeconds, accepted) => {
      const result = verify({
        headers: signedHeaders(),
        now: secondsAfterSigning(ageSeconds),
      });
      expect(result).toEqual(accepted ? { ok: true } : { ok: false, reason: 'timestamp_skew' });
    });

    it('honours a narrower window given by the receiver', () => {
      const narrow = { maxAgeMs: 60_000, maxLeadMs: 5_000 };
      expect(verify({ headers: signedHeaders(), now: secondsAfterSigning(60), ...narrow })).toEqual({ ok: true });
      expect(verify({ headers: signedHeaders(), now: secondsAfterSigning(61), ...narrow })).toEqual({
        ok: false,
        reason: 'timestamp_skew',
      });
      expect(verify({ headers: signedHeaders(), now: secondsAfterSigning(-6), ...narrow })).toEqual({
        ok: false,
        reason: 'timestamp_skew',
      });
    });

    it.each(['2026-11-28T10:15:00.000Z', '2026-11-28 10:15:00Z', '1764324900', 'garbage'])(
      'rejects the malformed timestamp %j',
      (timestamp) => {
        const headers = { ...signedHeaders(), 'x-seqpulse-timestamp': timestamp };
        expect(verify({ headers })).toEqual({
          ok: false,
          reason: 'timestamp_skew',
        });
      },
    );
  });

  describe('replay', () => {
    it('rejects a reused nonce', () => {
      const nonceStore = new NonceStore();
      const headers = signedHeaders();
      expect(verify({ headers, nonceStore })).toEqual({ ok: true });
      expect(verify({ headers, nonceStore, now: secondsAfterSigning(10) })).toEqual({
        ok: false,
        reason: 'nonce_reused',
      });
    });

    it('does not remember the nonce of a request with a bad signature', () => {
      const nonceStore = new NonceStore();
      const headers = signedHeaders();
      expect(verify({ headers, nonceStore, secret: 'wrong-secret' }).ok).toBe(false);
      expect(verify({ headers, nonceStore })).toEqual({ ok: true });
    });
  });

  it('refuses to verify with an empty secret', () => {
    expect(() => verify({ headers: signedHeaders(), secret: '' })).toThrow(/secret/);
  });
});
