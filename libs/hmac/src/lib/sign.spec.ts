import { createHmac } from 'node:crypto';
import { signPoll, signRequest } from './sign';

const secret = 'demo-secret-1';
const now = new Date('2026-11-28T10:15:00.789Z');
const nonce = 'q1w2e3r4t5y6u7i8o9p0aa';
const url = 'http://127.0.0.1:4100/targets/shop-prod/metrics?ignored=1';

describe('signPoll', () => {
  const headers = signPoll({ secret, url, projectId: 'prj_1', now, nonce });

  it('matches an independently computed HMAC-SHA256 (known-answer vector)', () => {
    const message = '2026-11-28T10:15:00Z|GET|/targets/shop-prod/metrics|q1w2e3r4t5y6u7i8o9p0aa';
    const expected = createHmac('sha256', secret).update(message).digest('hex');
    expect(headers['X-SeqPulse-Signature']).toBe(`sha256=${expected}`);
    // Pinned value (computed with `openssl dgst -sha256 -hmac`): guards against a change of scheme.
    expect(expected).toBe('26c499fc6186c8cf6db014c24ac4653ebb56950a5c4a5a9226cf453597d29214');
  });

  it('sends every contract header', () => {
    expect(headers).toEqual({
      'X-SeqPulse-Timestamp': '2026-11-28T10:15:00Z',
      'X-SeqPulse-Nonce': nonce,
      'X-SeqPulse-Signature': expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
      'X-SeqPulse-Signature-Version': 'v2',
      'X-SeqPulse-Canonical-Path': '/targets/shop-prod/metrics',
      'X-SeqPulse-Method': 'GET',
      'X-SeqPulse-Project-Id': 'prj_1',
    });
  });

  it('truncates the timestamp to seconds with a Z', () => {
    expect(headers['X-SeqPulse-Timestamp']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('generates a fresh URL-safe nonce per call', () => {
    const a = signPoll({ secret, url, projectId: 'p' })['X-SeqPulse-Nonce'];
    const b = signPoll({ secret, url, projectId: 'p' })['X-SeqPulse-Nonce'];
    expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a).not.toBe(b);
  });

  it('defaults the time to now', () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const signedAt = Date.parse(signPoll({ secret, url, projectId: 'p' })['X-SeqPulse-Timestamp']);
    expect(signedAt).toBeGreaterThanOrEqual(before);
    expect(signedAt).toBeLessThanOrEqual(Date.now());
  });

  it('refuses an empty secret', () => {
    expect(() => signPoll({ secret: '', url, projectId: 'p' })).toThrow(/secret/);
  });
});

describe('signRequest', () => {
  it('puts the upper-cased method into the signed string and the headers', () => {
    const headers = signRequest({
      secret,
      method: 'post',
      url: 'https://hooks.example.com/seqpulse/',
      projectId: 'prj_1',
      now,
      nonce,
    });
    const expected = createHmac('sha256', secret).update(`2026-11-28T10:15:00Z|POST|/seqpulse|${nonce}`).digest('hex');
    expect(headers['X-SeqPulse-Signature']).toBe(`sha256=${expected}`);
    expect(headers['X-SeqPulse-Method']).toBe('POST');
    expect(headers['X-SeqPulse-Canonical-Path']).toBe('/seqpulse');
  });

  it('accepts a Buffer secret', () => {
    const fromString = signPoll({ secret, url, projectId: 'p', now, nonce });
    const fromBuffer = signPoll({
      secret: Buffer.from(secret),
      url,
      projectId: 'p',
      now,
      nonce,
    });
    expect(fromBuffer['X-SeqPulse-Signature']).toBe(fromString['X-SeqPulse-Signature']);
  });
});
