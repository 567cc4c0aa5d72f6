/** 300 s accepted age + 30 s accepted lead: a nonce older than this can no longer be replayed. */
export const NONCE_TTL_MS = 330_000;

/** Enough for ~10,000 signed targets polled every 15 s (≈ 220,000 nonces per TTL). */
export const DEFAULT_MAX_NONCES = 250_000;

export interface NonceStoreOptions {
  ttlMs?: number;
  maxEntries?: number;
}

/**
 * In-memory replay guard. Remembers each nonce for `ttlMs`; a nonce seen again within that
 * time is refused.
 *
 * Memory is bounded twice: expired entries are dropped from the front on every insert (a Map
 * keeps insertion order and the TTL is constant, so the oldest entries expire first), and above
 * `maxEntries` the oldest entry is evicted. Eviction cannot be abused to reopen a replay window
 * by flooding: verifyPoll stores a nonce only after its signature checked out, so filling the
 * store requires the secret.
 */
export class NonceStore {
  private readonly expiryByNonce = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;

  constructor(options: NonceStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? NONCE_TTL_MS;
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_MAX_NONCES);
  }

  get size(): number {
    return this.expiryByNonce.size;
  }

  /** True if the nonce was seen and has not expired yet. Does not record it. */
  has(nonce: string, nowMs: number = Date.now()): boolean {
    const expiresAt = this.expiryByNonce.get(nonce);
    return expiresAt !== undefined && expiresAt > nowMs;
  }

  /**
   * Records the nonce. Returns `false` (and changes nothing) if it is still remembered,
   * `true` if it was fresh.
   */
  checkAndRemember(nonce: string, nowMs: number = Date.now()): boolean {
    if (this.has(nonce, nowMs)) return false;
    this.dropExpired(nowMs);
    // Re-inserting moves a stale key to the end, keeping the Map ordered by expiry.
    this.expiryByNonce.delete(nonce);
    this.expiryByNonce.set(nonce, nowMs + this.ttlMs);
    this.evictOverflow();
    return true;
  }

  clear(): void {
    this.expiryByNonce.clear();
  }

  private dropExpired(nowMs: number): void {
    for (const [nonce, expiresAt] of this.expiryByNonce) {
      if (expiresAt > nowMs) break;
      this.expiryByNonce.delete(nonce);
    }
  }

  private evictOverflow(): void {
    while (this.expiryByNonce.size > this.maxEntries) {
      const oldest = this.expiryByNonce.keys().next().value as string;
      this.expiryByNonce.delete(oldest);
    }
  }
}
