import { hashString, hashUnit, smoothNoise } from './hash';

describe('hash helpers', () => {
  it('hashes strings stably (FNV-1a reference values)', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
  });

  it('spreads hashUnit uniformly over [0, 1)', () => {
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(hashUnit(42, 1, i) * 10)]++;
    for (const count of buckets) expect(count).toBeGreaterThan(850);
  });

  it('keeps smooth noise within [-1, 1] and continuous', () => {
    let previous = smoothNoise(7, 1, 0, 5_000);
    for (let t = 100; t < 100_000; t += 100) {
      const value = smoothNoise(7, 1, t, 5_000);
      expect(Math.abs(value)).toBeLessThanOrEqual(1);
      expect(Math.abs(value - previous)).toBeLessThan(0.1);
      previous = value;
    }
  });
});
