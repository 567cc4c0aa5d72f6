import { canonicalPath } from './canonical-path';
import { HeaderSource, HMAC_HEADERS, readHeader, SIGNATURE_VERSION } from './headers';
import { NonceStore } from './nonce-store';
import { signRequest } from './sign';
import { assertUsableSecret, computeSignatureBytes, formatSignature, HmacSecret, signingString } from './signature';
import { isTimestampWithinWindow, signatureMatches, VerifyResult } from './verify';

/** Header carrying the signature of the webhook body: `sha256=` + hex(HMAC-SHA256(secret, `<timestamp>|<nonce>|<body>`)). */
export const CONTENT_SIGNATURE_HEADER = 'X-SeqPulse-Content-Signature';

/** `<timestamp>|<nonce>|<raw body>`: what the content signature covers. */
export function contentSigningString(timestamp: string, nonce: string, body: string | Buffer): string {
  return `${timestamp}|${nonce}|${Buffer.isBuffer(body) ? body.toString('utf8') : body}`;
}

export interface SignWebhookOptions {
  secret: HmacSecret;
  /** The receiver's URL (its canonical path is signed too). */
  url: string;
  projectId: string;
  /** The exact bytes sent. */
  body: string;
  now?: Date;
  nonce?: string;
}

/** HMAC v2 request headers for `POST <url>` plus the content signature binding them to the body. */
export function signWebhook(options: SignWebhookOptions): Record<string, string> {
  const signed = signRequest({ ...options, method: 'POST' });
  const content = computeSignatureBytes(
    options.secret,
    contentSigningString(signed[HMAC_HEADERS.timestamp], signed[HMAC_HEADERS.nonce], options.body),
  );
  return { ...signed, [CONTENT_SIGNATURE_HEADER]: formatSignature(content) };
}

export interface VerifyWebhookOptions {
  secret: HmacSecret;
  /** The raw request body exactly as received (not re-serialised JSON). */
  body: string | Buffer;
  headers: HeaderSource;
  nonceStore: NonceStore;
  /**
   * The path the request was received on (e.g. `req.url`). When given, the request signature
   * (`<timestamp>|POST|<path>|<nonce>`) is checked too; omit it behind a proxy that rewrites paths.
   */
  path?: string;
  now?: Date;
}

/**
 * Verifies a SeqPulse alert webhook: version, timestamp window (300 s old to 30 s ahead), the content signature over
 * timestamp, nonce and body (so a body swapped or replayed with other headers fails), optionally the request signature
 * over the path, and finally the nonce (recorded only once everything else is valid). Constant-time comparisons.
 */
export function verifyWebhook(options: VerifyWebhookOptions): VerifyResult {
  assertUsableSecret(options.secret);
  const { headers } = options;
  const timestamp = readHeader(headers, HMAC_HEADERS.timestamp);
  const nonce = readHeader(headers, HMAC_HEADERS.nonce);
  const version = readHeader(headers, HMAC_HEADERS.version);
  const contentSignature = readHeader(headers, CONTENT_SIGNATURE_HEADER);
  if (!timestamp || !nonce || !version || !contentSignature || !/^[A-Za-z0-9_-]{8,128}$/.test(nonce)) {
    return { ok: false, reason: 'missing_headers' };
  }
  if (version !== SIGNATURE_VERSION) return { ok: false, reason: 'bad_version' };
  const nowMs = (options.now ?? new Date()).getTime();
  if (!isTimestampWithinWindow(timestamp, nowMs)) return { ok: false, reason: 'timestamp_skew' };
  const expected = computeSignatureBytes(options.secret, contentSigningString(timestamp, nonce, options.body));
  if (!signatureMatches(contentSignature, expected)) return { ok: false, reason: 'bad_signature' };
  if (options.path !== undefined) {
    const path = canonicalPath(options.path);
    const claimed = readHeader(headers, HMAC_HEADERS.canonicalPath);
    if (claimed !== undefined && claimed !== path) return { ok: false, reason: 'path_mismatch' };
    const signature = readHeader(headers, HMAC_HEADERS.signature);
    const requestExpected = computeSignatureBytes(options.secret, signingString(timestamp, 'POST', path, nonce));
    if (!signature || !signatureMatches(signature, requestExpected)) return { ok: false, reason: 'bad_signature' };
  }
  if (!options.nonceStore.checkAndRemember(nonce, nowMs)) return { ok: false, reason: 'nonce_reused' };
  return { ok: true };
}
