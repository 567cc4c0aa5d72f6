import { LATENCY_RELATIVE_ACCURACY, RequestWindow, WINDOW_SLICES } from './request-window';

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The value the sketch approximates: the sample at rank q·(n−1) of the sorted values. */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))];
}

describe('RequestWindow', () => {
  const start = 0;

  it('reports an idle window as zeros, never NaN', () => {
    const window = new RequestWindow(60_000, () => start);
    expect(window.stats(start + 60_000)).toMatchObject({ requests: 0, requestsPerSec: 0, latencyP95: 0, errorRate: 0 });
  });

  it('computes rate, error rate and p95 (within the sketch accuracy) of a known load', () => {
    const window = new RequestWindow(60_000, () => start);
    const next = random(42);
    const latencies: number[] = [];
    // 60 s at 50 req/s, log-normal latencies (median ≈ 40 ms), one request in 20 a 5xx.
    for (let i = 0; i < 3000; i++) {
      const latency = Math.exp(Math.log(40) + 0.6 * Math.sqrt(-2 * Math.log(next() || 1e-9)) * Math.cos(2 * Math.PI * next()));
      latencies.push(latency);
      window.record(latency, i % 20 === 0, start + 60_000 + i * 20);
    }
    // Read as the last request completes: the window then spans 59–60 s, all 3000 requests.
    const stats = window.stats(start + 119_999);
    expect(stats.requests).toBe(3000);
    expect(stats.requestsPerSec).toBeCloseTo(50, 2);
    expect(stats.errorRate).toBeCloseTo(0.05, 10);
    const exact = exactQuantile(latencies, 0.95);
    expect(Math.abs(stats.latencyP95 - exact) / exact).toBeLessThanOrEqual(LATENCY_RELATIVE_ACCURACY + 1e-9);
  });

  it('slides: traffic older than the window no longer counts', () => {
    const window = new RequestWindow(10_000, () => start);
    for (let i = 0; i < 100; i++) window.record(500, true, start + i * 10); // 1 s of slow errors
    for (let i = 0; i < 100; i++) window.record(5, false, start + 20_000 + i * 100); // 10 s of fast successes
    const stats = window.stats(start + 29_950);
    expect(stats.requests).toBe(100);
    expect(stats.errorRate).toBe(0);
    expect(stats.latencyP95).toBeCloseTo(5, 0);
    // 100 requests over the 9.95–10 s the window spans at this instant.
    expect(stats.requestsPerSec).toBeGreaterThan(10 * 0.99);
    expect(stats.requestsPerSec).toBeLessThan(10 * 1.01);
  });

  it('divides by the time since start while the window is not full yet', () => {
    const window = new RequestWindow(60_000, () => start);
    for (let i = 0; i < 40; i++) window.record(1, false, start + i * 250); // 4/s for 10 s
    expect(window.stats(start + 10_000).requestsPerSec).toBeCloseTo(4, 6);
  });

  it('keeps memory bounded whatever the traffic: a sketch per slice, a capped number of bins per sketch', () => {
    const window = new RequestWindow(60_000, () => start);
    const next = random(7);
    // 200 s of traffic with latencies spread over 18 orders of magnitude, enough to hit the bin cap.
    for (let i = 0; i < 200_000; i++) window.record(10 ** (next() * 18 - 9), false, start + i);
    const sketches = (window as unknown as { sketches: ({ store: { bins: number[] } } | undefined)[] }).sketches.filter(Boolean);
    expect(sketches.length).toBeLessThanOrEqual(WINDOW_SLICES);
    for (const sketch of sketches) expect(sketch?.store.bins.length).toBeLessThanOrEqual(2048);
    expect(window.stats(start + 199_999).requests).toBe(60_000);
  });

  it('refuses a window under a second', () => {
    expect(() => new RequestWindow(500, () => 0)).toThrow(/at least 1 second/);
  });
});
