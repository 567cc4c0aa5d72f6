/** Header names of HMAC v2, spelled as sent. Receivers must look them up case-insensitively. */
export const HMAC_HEADERS = {
  timestamp: 'X-SeqPulse-Timestamp',
  nonce: 'X-SeqPulse-Nonce',
  signature: 'X-SeqPulse-Signature',
  version: 'X-SeqPulse-Signature-Version',
  canonicalPath: 'X-SeqPulse-Canonical-Path',
  method: 'X-SeqPulse-Method',
  projectId: 'X-SeqPulse-Project-Id',
} as const;

export const SIGNATURE_VERSION = 'v2';

/** Node's `IncomingHttpHeaders`, a plain record, or a Fetch `Headers` instance. */
export type HeaderSource = Readonly<Record<string, string | readonly string[] | undefined>> | { get(name: string): string | null };

function isFetchHeaders(headers: HeaderSource): headers is { get(name: string): string | null } {
  return typeof (headers as { get?: unknown }).get === 'function';
}

/**
 * Reads one header case-insensitively. A repeated header (array value) yields `undefined`:
 * an ambiguous security header is treated as absent rather than guessing which one counts.
 */
export function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (isFetchHeaders(headers)) return headers.get(name) ?? undefined;
  const lower = name.toLowerCase();
  // Fast path: Node already lowercases incoming header names.
  let value = headers[lower];
  if (value === undefined) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === lower);
    value = key === undefined ? undefined : headers[key];
  }
  return typeof value === 'string' ? value : undefined;
}
