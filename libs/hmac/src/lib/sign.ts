import { canonicalPath } from './canonical-path';
import { HMAC_HEADERS, SIGNATURE_VERSION } from './headers';
import {
  assertUsableSecret,
  computeSignatureBytes,
  formatSignature,
  formatTimestamp,
  generateNonce,
  HmacSecret,
  signingString,
} from './signature';

export interface SignRequestOptions {
  secret: HmacSecret;
  /** HTTP method; upper-cased before signing. */
  method: string;
  /** Full URL or path of the request; only its canonical path is signed. */
  url: string;
  projectId: string;
  /** Signing time; defaults to now. */
  now?: Date;
  /** Defaults to a fresh random nonce. Pass one only in tests. */
  nonce?: string;
}

export type SignPollOptions = Omit<SignRequestOptions, 'method'>;

/**
 * Builds the HMAC v2 headers for any outgoing request (polls today, POST webhooks later).
 * Returns a plain record that can be spread into `fetch`/undici/node:http headers.
 */
export function signRequest(options: SignRequestOptions): Record<string, string> {
  assertUsableSecret(options.secret);
  const method = options.method.toUpperCase();
  const path = canonicalPath(options.url);
  const timestamp = formatTimestamp(options.now ?? new Date());
  const nonce = options.nonce ?? generateNonce();
  const signature = formatSignature(computeSignatureBytes(options.secret, signingString(timestamp, method, path, nonce)));
  return {
    [HMAC_HEADERS.timestamp]: timestamp,
    [HMAC_HEADERS.nonce]: nonce,
    [HMAC_HEADERS.signature]: signature,
    [HMAC_HEADERS.version]: SIGNATURE_VERSION,
    [HMAC_HEADERS.canonicalPath]: path,
    [HMAC_HEADERS.method]: method,
    [HMAC_HEADERS.projectId]: options.projectId,
  };
}

/** The headers SeqPulse sends with each metrics poll (`GET <metrics_endpoint>`). */
export function signPoll(options: SignPollOptions): Record<string, string> {
  return signRequest({ ...options, method: 'GET' });
}
