export { canonicalPath } from './lib/canonical-path';
export { HMAC_HEADERS, SIGNATURE_VERSION, readHeader } from './lib/headers';
export type { HeaderSource } from './lib/headers';
export {
  signingString,
  computeSignatureBytes,
  formatSignature,
  formatTimestamp,
  generateNonce,
} from './lib/signature';
export type { HmacSecret } from './lib/signature';
export { signRequest, signPoll } from './lib/sign';
export type { SignRequestOptions, SignPollOptions } from './lib/sign';
export {
  verifyPoll,
  verifyRequest,
  isTimestampWithinWindow,
  MAX_TIMESTAMP_AGE_MS,
  MAX_TIMESTAMP_LEAD_MS,
} from './lib/verify';
export type {
  VerifyPollOptions,
  VerifyResult,
  VerifyFailureReason,
} from './lib/verify';
export {
  NonceStore,
  NONCE_TTL_MS,
  DEFAULT_MAX_NONCES,
} from './lib/nonce-store';
export type { NonceStoreOptions } from './lib/nonce-store';
