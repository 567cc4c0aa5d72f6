import { timingSafeEqual } from 'node:crypto';
import { canonicalPath } from './canonical-path';
import { HeaderSource, HMAC_HEADERS, readHeader, SIGNATURE_VERSION } from './headers';
import { NonceStore } from './nonce-store';
import { assertUsableSecret, computeSignatureBytes, HmacSecret, signingString } from './signature';

/** A receiver accepts timestamps up to this old … */
export const MAX_TIMESTAMP_AGE_MS = 300_000;
/** … and up to this far in the future (clock drift of the sender). */
export const MAX_TIMESTAMP_LEAD_MS = 30_000;

export type VerifyFailureReason = 'missing_headers' | 'bad_version' | 'bad_signature' | 'timestamp_skew' | 'nonce_reused' | 'path_mismatch';

export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailureReason };

export interface VerifyPollOptions {
  secret: HmacSecret;
  /** Method of the received request (e.g. `req.method`). */
  method: string;
  /** Path or URL of the received request (e.g. `req.url`); canonicalised here. */
  path: string;
  headers: HeaderSource;
  /** Verification time; defaults to now. */
  now?: Date;
  nonceStore: NonceStore;
  /** Oldest accepted timestamp age; defaults to MAX_TIMESTAMP_AGE_MS (the contract's 300 s). */
  maxAgeMs?: number;
  /** Furthest accepted lead into the future; defaults to MAX_TIMESTAMP_LEAD_MS (30 s). */
  maxLeadMs?: number;
}

const TIMESTAMP_FORMAT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const NONCE_FORMAT = /^[A-Za-z0-9_-]{8,128}$/;
const SIGNATURE_FORMAT = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Verifies an HMAC v2 signed request. Checks run cheapest first, and the nonce is recorded
 * only once the signature is valid, so unauthenticated traffic cannot fill the nonce store.
 *
 * Reasons:
 * - `missing_headers`: timestamp, nonce, signature or version absent (or the nonce is not URL-safe);
 * - `bad_version`: version is not `v2`;
 * - `path_mismatch`: `X-SeqPulse-Canonical-Path` differs from the path actually requested
 *   (e.g. a proxy rewrote it); the signature is always checked against the real path;
 * - `timestamp_skew`: older than 300 s, more than 30 s ahead (or the given `maxAgeMs`/`maxLeadMs`), or not `YYYY-MM-DDTHH:MM:SSZ`;
 * - `bad_signature`: malformed or not matching (wrong secret, tampered field);
 * - `nonce_reused`: nonce already seen within its lifetime.
 */
export function verifyPoll(options: VerifyPollOptions): VerifyResult {
  assertUsableSecret(options.secret);
  const { headers } = options;
  const timestamp = readHeader(headers, HMAC_HEADERS.timestamp);
  const nonce = readHeader(headers, HMAC_HEADERS.nonce);
  const signature = readHeader(headers, HMAC_HEADERS.signature);
  const version = readHeader(headers, HMAC_HEADERS.version);

  if (!timestamp || !nonce || !signature || !version || !NONCE_FORMAT.test(nonce)) {
    return fail('missing_headers');
  }
  if (version !== SIGNATURE_VERSION) return fail('bad_version');

  const path = canonicalPath(options.path);
  const claimedPath = readHeader(headers, HMAC_HEADERS.canonicalPath);
  if (claimedPath !== undefined && claimedPath !== path) return fail('path_mismatch');

  const nowMs = (options.now ?? new Date()).getTime();
  if (!isTimestampWithinWindow(timestamp, nowMs, options.maxAgeMs, options.maxLeadMs)) return fail('timestamp_skew');

  const message = signingString(timestamp, options.method, path, nonce);
  if (!signatureMatches(signature, computeSignatureBytes(options.secret, message))) {
    return fail('bad_signature');
  }

  if (!options.nonceStore.checkAndRemember(nonce, nowMs)) return fail('nonce_reused');
  return { ok: true };
}

/** Same scheme for any method (e.g. incoming webhooks); `verifyPoll` already takes the method. */
export const verifyRequest = verifyPoll;

export function isTimestampWithinWindow(
  timestamp: string,
  nowMs: number,
  maxAgeMs = MAX_TIMESTAMP_AGE_MS,
  maxLeadMs = MAX_TIMESTAMP_LEAD_MS,
): boolean {
  if (!TIMESTAMP_FORMAT.test(timestamp)) return false;
  const signedAtMs = Date.parse(timestamp);
  if (Number.isNaN(signedAtMs)) return false;
  const ageMs = nowMs - signedAtMs;
  return ageMs <= maxAgeMs && ageMs >= -maxLeadMs;
}

/** Constant-time comparison of the received `sha256=<hex>` against the expected bytes. */
export function signatureMatches(received: string, expected: Buffer): boolean {
  const match = SIGNATURE_FORMAT.exec(received);
  if (!match) return false;
  const receivedBytes = Buffer.from(match[1], 'hex');
  // Both are 32 bytes here (64 hex chars enforced), as timingSafeEqual requires.
  return receivedBytes.length === expected.length && timingSafeEqual(receivedBytes, expected);
}

function fail(reason: VerifyFailureReason): VerifyResult {
  return { ok: false, reason };
}
