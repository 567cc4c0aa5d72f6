import { Agent, request } from 'node:http';

/** The shop's traffic: a mix of browsing, searching and buying. */
const MIX: { weight: number; method: string; path: () => string }[] = [
  { weight: 50, method: 'GET', path: () => `/products/${1 + Math.floor(Math.random() * 42)}` },
  { weight: 25, method: 'GET', path: () => '/products' },
  { weight: 15, method: 'GET', path: () => '/search?q=shoes' },
  { weight: 10, method: 'POST', path: () => '/cart' },
];
const TOTAL_WEIGHT = MIX.reduce((sum, m) => sum + m.weight, 0);

/** Requests per second at a time of day: 15–45 over a 20-minute cycle, so the chart moves. */
export function rateAt(nowMs: number): number {
  return 30 + 15 * Math.sin((2 * Math.PI * nowMs) / (20 * 60_000));
}

function pick(): (typeof MIX)[number] {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const entry of MIX) if ((r -= entry.weight) < 0) return entry;
  return MIX[0];
}

/**
 * Sends the traffic to the storefront over loopback, paced every 100 ms: what is due is sent, so a late
 * timer does not lower the rate. Keep-alive sockets, as a load balancer in front of a service would hold.
 */
export function startLoadGenerator(baseUrl: string, clock: () => number = Date.now): { stop(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  let due = 0;
  const timer = setInterval(() => {
    due += rateAt(clock()) / 10;
    for (; due >= 1; due--) {
      const { method, path } = pick();
      request(`${baseUrl}${path()}`, { method, agent }, (res) => res.resume())
        .on('error', () => undefined)
        .end();
    }
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      agent.destroy();
    },
  };
}
