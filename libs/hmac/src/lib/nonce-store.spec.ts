import { NONCE_TTL_MS, NonceStore } from './nonce-store';

describe('NonceStore', () => {
  const t0 = Date.UTC(2026, 10, 28, 10, 0, 0);

  it('accepts a fresh nonce once and refuses it again within the TTL', () => {
    const store = new NonceStore();
    expect(store.checkAndRemember('nonce-aaaa', t0)).toBe(true);
    expect(store.checkAndRemember('nonce-aaaa', t0 + 1000)).toBe(false);
    expect(store.checkAndRemember('nonce-aaaa', t0 + NONCE_TTL_MS - 1)).toBe(false);
    expect(store.checkAndRemember('nonce-bbbb', t0 + 1000)).toBe(true);
  });

  it('keeps nonces for 330 s (300 s age + 30 s lead)', () => {
    expect(NONCE_TTL_MS).toBe(330_000);
  });

  it('forgets a nonce once it has expired', () => {
    const store = new NonceStore();
    store.checkAndRemember('nonce-aaaa', t0);
    expect(store.has('nonce-aaaa', t0 + NONCE_TTL_MS)).toBe(false);
    expect(store.checkAndRemember('nonce-aaaa', t0 + NONCE_TTL_MS)).toBe(true);
  });

  it('drops expired entries as new ones arrive, so memory follows the traffic', () => {
    const store = new NonceStore({ ttlMs: 1000 });
    for (let i = 0; i < 100; i++) store.checkAndRemember(`early-${i}`, t0);
    store.checkAndRemember('late-nonce', t0 + 5000);
    expect(store.size).toBe(1);
  });

  it('never holds more than maxEntries (oldest evicted first)', () => {
    const store = new NonceStore({ maxEntries: 3 });
    for (const n of ['n1', 'n2', 'n3', 'n4', 'n5']) store.checkAndRemember(n, t0);
    expect(store.size).toBe(3);
    expect(store.has('n1', t0)).toBe(false);
    expect(store.has('n5', t0)).toBe(true);
  });

  it('clear() forgets everything', () => {
    const store = new NonceStore();
    store.checkAndRemember('n1', t0);
    store.clear();
    expect(store.size).toBe(0);
  });
});
