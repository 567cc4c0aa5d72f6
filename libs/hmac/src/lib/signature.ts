import { createHmac, randomBytes } from 'node:crypto';

export type HmacSecret = string | Buffer;

/** `<timestamp>|<METHOD>|<canonical path>|<nonce>` — the exact string HMAC v2 signs. */
export function signingString(timestamp: string, method: string, path: string, nonce: string): string {
  return `${timestamp}|${method.toUpperCase()}|${path}|${nonce}`;
}

/** Raw 32-byte HMAC-SHA256 of the signing string. */
export function computeSignatureBytes(secret: HmacSecret, message: string): Buffer {
  return createHmac('sha256', secret).update(message, 'utf8').digest();
}

/** The header value: `sha256=` + lowercase hex. */
export function formatSignature(bytes: Buffer): string {
  return `sha256=${bytes.toString('hex')}`;
}

/** ISO-8601 in UTC with seconds precision and `Z`, e.g. `2026-11-28T10:15:00Z`. */
export function formatTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** 16 random bytes, base64url: 22 URL-safe characters, 128 bits of uniqueness. */
export function generateNonce(): string {
  return randomBytes(16).toString('base64url');
}

export function assertUsableSecret(secret: HmacSecret): void {
  if (secret === undefined || secret === null || secret.length === 0) {
    throw new Error('HMAC secret must be a non-empty string or Buffer');
  }
}
