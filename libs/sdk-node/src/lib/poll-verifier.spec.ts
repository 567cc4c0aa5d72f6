import { signPoll } from '@seqpulse/hmac';
import { PollVerifier } from './poll-verifier';

const secret = 'demo-secret-1';
const signedAt = new Date('2026-11-28T10:15:00Z');
const path = '/targets/shop-prod/metrics';
const window = { maxSkewPastMs: 300_000, maxSkewFutureMs: 30_000 };
const after = (seconds: number) => new Date(signedAt.getTime() + seconds * 1000);

/** The contract's example, with a signature computed independently (`openssl dgst -sha256 -hmac demo-secret-1`). */
const KNOWN_ANSWER = {
  'x-seqpulse-timestamp': '2026-11-28T10:15:00Z',
  'x-seqpulse-nonce': 'q1w2e3r4t5y6u7i8o9p0aa',
  'x-seqpulse-signature': 'sha256=26c499fc6186c8cf6db014c24ac4653ebb56950a5c4a5a9226cf453597d29214',
  'x-seqpulse-signature-version': 'v2',
  'x-seqpulse-canonical-path': path,
  'x-seqpulse-method': 'GET',
  'x-seqpulse-project-id': 'prj_1',
};

describe('PollVerifier', () => {
  it('accepts the known-answer vector and nothing that differs from it by one character', () => {
    expect(new PollVerifier({ secrets: [secret], ...window }).verify('GET', path, KNOWN_ANSWER, signedAt)).toBeNull();
    const tampered = { ...KNOWN_ANSWER, 'x-seqpulse-signature': KNOWN_ANSWER['x-seqpulse-signature'].replace(/4$/, '5') };
    expect(new PollVerifier({ secrets: [secret], ...window }).verify('GET', path, tampered, signedAt)).toBe('bad_signature');
  });

  it.each([
    [300, null],
    [301, 'timestamp_skew'],
    [-30, null],
    [-31, 'timestamp_skew'],
  ])('a poll signed %i s ago: %s', (age, expected) => {
    expect(new PollVerifier({ secrets: [secret], ...window }).verify('GET', path, KNOWN_ANSWER, after(age))).toBe(expected);
  });

  it('applies a configured skew window', () => {
    const narrow = new PollVerifier({ secrets: [secret], maxSkewPastMs: 10_000, maxSkewFutureMs: 0 });
    expect(narrow.verify('GET', path, KNOWN_ANSWER, after(11))).toBe('timestamp_skew');
    expect(narrow.verify('GET', path, KNOWN_ANSWER, after(-1))).toBe('timestamp_skew');
    expect(narrow.verify('GET', path, KNOWN_ANSWER, after(10))).toBeNull();
  });

  it('refuses a replayed nonce while its timestamp is still acceptable', () => {
    const verifier = new PollVerifier({ secrets: [secret], ...window });
    expect(verifier.verify('GET', path, KNOWN_ANSWER, after(1))).toBeNull();
    expect(verifier.verify('GET', path, KNOWN_ANSWER, after(2))).toBe('nonce_reused');
    expect(verifier.verify('GET', path, KNOWN_ANSWER, after(299))).toBe('nonce_reused');
  });

  it('refuses a signature made for another path', () => {
    const verifier = new PollVerifier({ secrets: [secret], ...window });
    expect(verifier.verify('GET', '/other/metrics', KNOWN_ANSWER, signedAt)).toBe('path_mismatch');
    const withoutClaim: Record<string, string> = { ...KNOWN_ANSWER };
    delete withoutClaim['x-seqpulse-canonical-path'];
    expect(verifier.verify('GET', '/other/metrics', withoutClaim, signedAt)).toBe('bad_signature');
  });

  it('refuses a repeated security header (an array) instead of picking one', () => {
    const headers = { ...KNOWN_ANSWER, 'x-seqpulse-signature': [KNOWN_ANSWER['x-seqpulse-signature'], 'sha256=' + '0'.repeat(64)] };
    expect(new PollVerifier({ secrets: [secret], ...window }).verify('GET', path, headers, signedAt)).toBe('missing_headers');
  });

  it('accepts either of two secrets during a rotation, and neither of them is a third', () => {
    const verifier = new PollVerifier({ secrets: ['next-secret-0123456789', secret], ...window });
    expect(verifier.verify('GET', path, KNOWN_ANSWER, signedAt)).toBeNull();
    const withNext = signPoll({ secret: 'next-secret-0123456789', url: path, projectId: 'p', now: signedAt });
    expect(verifier.verify('GET', path, withNext, signedAt)).toBeNull();
    const withOther = signPoll({ secret: 'some-other-secret-000000', url: path, projectId: 'p', now: signedAt });
    expect(verifier.verify('GET', path, withOther, signedAt)).toBe('bad_signature');
  });
});
