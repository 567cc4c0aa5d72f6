import { METRIC_NAMES } from '@seqpulse/contracts';
import type { MetricName, MetricValues } from '@seqpulse/contracts';
import { DemoFleet, startDemoFleet } from '../../testing/fleet';
import { computeVerdict } from '../deployment-impact/impact-calculator';
import { DEFAULT_VERDICT_SETTINGS } from '../deployment-impact/verdict-rules';
import type { DeploymentRow } from '../deployments/deployments.repository';
import type { WindowSamples } from '../samples/samples.store';
import { DEMO_RELEASES, DEMO_WINDOW_MIN } from './demo-deployments';

/**
 * The demo plays its story: the demo fleet's real `checkout-staging` target (its traffic model and release
 * effects, polled over HTTP at simulated times, every 15 s) judged by the real verdict rules, for the three
 * releases of a cycle as DemoDeployments triggers and finishes them.
 */
describe('demo releases', () => {
  let fleet: DemoFleet;
  let now = 0;
  beforeAll(async () => {
    fleet = await startDemoFleet({ port: 0, clock: () => now });
  });
  afterAll(() => fleet.close());

  async function poll(fromMs: number, toMs: number): Promise<WindowSamples> {
    const samples = {
      ...(Object.fromEntries(METRIC_NAMES.map((m) => [m, [] as number[]])) as Record<MetricName, number[]>),
      slot_ms: [] as number[],
    };
    for (let t = Math.ceil(fromMs / 15_000) * 15_000; t < toMs; t += 15_000) {
      now = t;
      samples.slot_ms.push(t);
      const { metrics } = (await (await fetch(`${fleet.url}/targets/checkout-staging/metrics`)).json()) as { metrics: MetricValues };
      for (const m of METRIC_NAMES) samples[m].push(metrics[m]);
    }
    return samples;
  }

  // several cycles at different times of day (the daily load curve moves the levels)
  it.each([0, 7, 13, 19])('cycle at %i h UTC: good → ok, noisy → ok, bad → rollback_recommended on error_rate', async (hour) => {
    const cycleStart = Date.UTC(2026, 10, 28, hour, 0, 0);
    const windowMs = DEMO_WINDOW_MIN * 60_000;
    const verdicts: Record<string, { verdict: string; rules: string[] }> = {};
    for (const release of DEMO_RELEASES) {
      const startedAt = cycleStart + release.atS * 1000;
      const finishedAt = startedAt + 45_000;
      const row: DeploymentRow = {
        id: release.kind,
        project_id: 'p',
        env: 'staging',
        branch: release.branch,
        idempotency_key: null,
        started_at: new Date(startedAt),
        finished_at: new Date(finishedAt),
        result: 'success',
        post_window_min: DEMO_WINDOW_MIN,
        poll_interval_s: 15,
      };
      const pre = await poll(startedAt - windowMs, startedAt);
      const post = await poll(finishedAt, finishedAt + windowMs);
      const v = computeVerdict(row, pre, post, DEFAULT_VERDICT_SETTINGS, new Date(finishedAt + windowMs + 11_000));
      verdicts[release.kind] = { verdict: v?.verdict ?? 'none', rules: v?.reasons.map((r) => r.rule) ?? [] };
    }
    expect(verdicts.good).toEqual({ verdict: 'ok', rules: [] });
    expect(verdicts.noisy).toEqual({ verdict: 'ok', rules: [] });
    expect(verdicts.bad.verdict).toBe('rollback_recommended');
    expect(verdicts.bad.rules).toContain('error_rate_limit');
  });
});
