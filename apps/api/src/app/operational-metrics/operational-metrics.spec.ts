import { OperationalMetrics } from './operational-metrics';

/** A figure of the `/metrics` scrape (all collected together, as a scrape does: one collector sets the lag's). */
async function scraped(metrics: OperationalMetrics, name: string): Promise<number> {
  const all = await metrics.registry.getMetricsAsJSON();
  return Number(all.find((m) => m.name === name)?.values[0]?.value);
}

describe('OperationalMetrics: Node event-loop lag', () => {
  it('still sees a stall of the event loop at its sampling interval', async () => {
    const metrics = new OperationalMetrics();
    await new Promise((resolve) => setTimeout(resolve, 250));
    // what a blocking handler does to every request and poll in flight
    const blockedUntil = Date.now() + 300;
    while (Date.now() < blockedUntil) {
      /* stall */
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await scraped(metrics, 'nodejs_eventloop_lag_max_seconds')).toBeGreaterThan(0.2);
  });
});
