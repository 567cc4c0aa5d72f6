import { METRIC_NAMES } from '@seqpulse/contracts';
import type { MetricImpact, MetricName } from '@seqpulse/contracts';
import { mannWhitney, metricImpact, presentSorted, quantile, windowStats } from './statistics';
import { decideVerdict, DEFAULT_VERDICT_SETTINGS, withOverrides } from './verdict-rules';
import { seededRandom as rng } from '../../testing/seeded-random';

/** Autocorrelated (AR(1), φ = 0.6) Gaussian noise like a real service polled every 15 s. */
function noisySeries(random: () => number, n: number, mean: number, sd: number, min = 0, max = Infinity): number[] {
  const out: number[] = [];
  let state = 0;
  for (let i = 0; i < n; i++) {
    const gauss = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    state = 0.6 * state + Math.sqrt(1 - 0.36) * gauss;
    out.push(Math.min(max, Math.max(min, mean + sd * state)));
  }
  return out;
}

type Levels = Record<MetricName, { mean: number; sd: number; max?: number }>;
const HEALTHY: Levels = {
  requests_per_sec: { mean: 40, sd: 4 },
  latency_p95: { mean: 150, sd: 15 },
  error_rate: { mean: 0.002, sd: 0.0012, max: 1 },
  cpu_usage: { mean: 0.45, sd: 0.03, max: 1 },
  memory_usage: { mean: 0.6, sd: 0.03, max: 1 },
};

function series(random: () => number, n: number, levels: Levels): Record<MetricName, number[]> {
  const out = {} as Record<MetricName, number[]>;
  for (const m of METRIC_NAMES) out[m] = noisySeries(random, n, levels[m].mean, levels[m].sd, 0, levels[m].max ?? Infinity);
  return out;
}

function impactOf(pre: Record<MetricName, (number | null)[]>, post: Record<MetricName, (number | null)[]>) {
  const metrics = {} as Record<MetricName, MetricImpact>;
  for (const m of METRIC_NAMES) metrics[m] = metricImpact(pre[m], post[m]);
  return metrics;
}

/** 30-minute windows polled every 15 s. */
const WINDOW = 120;
const verdictOf = (metrics: Record<MetricName, MetricImpact>, postElapsedS = WINDOW * 15, settings = DEFAULT_VERDICT_SETTINGS) =>
  decideVerdict({ metrics, settings, postElapsedS, pollIntervalS: 15 });

describe('statistics', () => {
  it('quantiles interpolate linearly between closest ranks (as Postgres percentile_cont)', () => {
    const oneToTwenty = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(quantile(oneToTwenty, 0.95)).toBeCloseTo(19.05, 10);
    expect(quantile([4], 0.95)).toBe(4);
    expect(windowStats(oneToTwenty)).toEqual({ count: 20, mean: 10.5, p95: expect.closeTo(19.05, 10) });
  });

  it('drops gaps: a null is not a sample and never a zero', () => {
    expect([...presentSorted([3, null, 1, undefined, NaN, 2])]).toEqual([1, 2, 3]);
    expect(windowStats(presentSorted([null, null]))).toEqual({ count: 0, mean: null, p95: null });
    const withGaps = [...Array(20).fill(null), 0.01, 0.01, 0.01, 0.01, 0.01];
    const impact = metricImpact(Array(40).fill(0.01), withGaps);
    expect(impact.post).toEqual({ count: 5, mean: 0.01, p95: 0.01 });
    expect(impact.change_abs).toBeCloseTo(0, 12);
    expect(impact.significant).toBe(false);
  });

  it('an empty window has no mean and no change; a pre mean of 0 has no relative change', () => {
    const impact = metricImpact([], [1, 2, 3]);
    expect(impact).toMatchObject({ change_abs: null, change_rel: null, significant: null, p_value: null });
    expect(metricImpact(Array(10).fill(0), Array(10).fill(0.1)).change_rel).toBeNull();
  });

  it('Mann-Whitney U matches the textbook normal approximation (continuity and tie corrections)', () => {
    // Completely separated 5 vs 5: U = 25, z = (25 − 12.5 − 0.5) / √(25·11/12), two-sided p ≈ 0.01219.
    const separated = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(separated?.u).toBe(25);
    expect(separated?.p).toBeCloseTo(0.01219, 4);
    // Ties get average ranks: 1,1 → 1.5; 2,2,2 → 4; 3,3,3 → 7; 4,4 → 9.5. Rank sum of b = 4 + 7 + 7 + 9.5 + 9.5 = 37, U = 37 − 15.
    const tied = mannWhitney([1, 1, 2, 2, 3], [2, 3, 3, 4, 4]);
    expect(tied?.u).toBe(22);
    expect(mannWhitney([1, 1, 1, 1, 1], [1, 1, 1, 1, 1])).toBeNull(); // no variance
    expect(mannWhitney([1, 2, 3, 4], [5, 6, 7, 8, 9])).toBeNull(); // too few
  });
});

describe('verdict rules on fixed series', () => {
  it('noise alone is ok: no false alarm over 500 seeded noisy deployments, at any point of the window', () => {
    const verdicts = new Map<string, number>();
    for (let seed = 1; seed <= 500; seed++) {
      const random = rng(seed);
      const pre = series(random, WINDOW, HEALTHY);
      const post = series(random, WINDOW, HEALTHY);
      for (const n of [5, 20, 60, WINDOW]) {
        const prefix = Object.fromEntries(METRIC_NAMES.map((m) => [m, post[m].slice(0, n)])) as Record<MetricName, number[]>;
        const { value } = verdictOf(impactOf(pre, prefix), n * 15);
        verdicts.set(value, (verdicts.get(value) ?? 0) + 1);
      }
    }
    expect(Object.fromEntries(verdicts)).toEqual({ ok: 2000 });
  });

  it('a clear error-rate rise is rollback_recommended after the first 5 post samples, long before the window closes', () => {
    const random = rng(42);
    const pre = series(random, WINDOW, HEALTHY);
    const post = series(random, 20, { ...HEALTHY, error_rate: { mean: 0.06, sd: 0.01, max: 1 } });
    const firstFive = Object.fromEntries(METRIC_NAMES.map((m) => [m, post[m].slice(0, 5)])) as Record<MetricName, number[]>;
    const outcome = verdictOf(impactOf(pre, firstFive), 5 * 15);
    expect(outcome.value).toBe('rollback_recommended');
    // five autocorrelated samples are too few for the rank test; the absolute limit decides
    expect(outcome.reasons.map((r) => r.rule)).toEqual(['error_rate_limit']);
    // five minutes in, the regression against pre is established as well
    expect(verdictOf(impactOf(pre, post), 20 * 15).reasons.map((r) => r.rule)).toEqual(['error_rate_limit', 'error_rate_regression']);
    const limit = outcome.reasons.find((r) => r.rule === 'error_rate_limit');
    expect(limit).toMatchObject({ metric: 'error_rate', limit: 0.01, verdict: 'rollback_recommended' });
    expect(limit?.value).toBeGreaterThan(0.04);
    expect(limit?.message).toMatch(/error_rate post mean \d+(\.\d+)? % is above the limit 1 %/);
  });

  it('an error-rate regression under the absolute limit (0.1 % → 0.8 %) is still rollback_recommended', () => {
    const random = rng(7);
    const pre = series(random, WINDOW, { ...HEALTHY, error_rate: { mean: 0.001, sd: 0.0005, max: 1 } });
    const post = series(random, 40, { ...HEALTHY, error_rate: { mean: 0.008, sd: 0.0008, max: 1 } });
    const outcome = verdictOf(impactOf(pre, post), 40 * 15);
    expect(outcome.value).toBe('rollback_recommended');
    expect(outcome.reasons.map((r) => [r.rule, r.verdict])).toEqual([['error_rate_regression', 'rollback_recommended']]);
  });

  it('a deployment during an outage is inconclusive: too few post samples', () => {
    const random = rng(3);
    const pre = series(random, WINDOW, HEALTHY);
    const gaps = (n: number, keep: number[]) => [...Array(n - keep.length).fill(null), ...keep];
    const post = Object.fromEntries(METRIC_NAMES.map((m) => [m, gaps(WINDOW, [HEALTHY[m].mean, HEALTHY[m].mean])])) as Record<
      MetricName,
      (number | null)[]
    >;
    const outcome = verdictOf(impactOf(pre, post));
    expect(outcome).toEqual({
      value: 'inconclusive',
      reasons: [expect.objectContaining({ rule: 'too_few_post_samples', value: 2, limit: 5 })],
    });
  });

  it('a post window that is mostly a gap is inconclusive rather than ok', () => {
    const random = rng(4);
    const pre = series(random, WINDOW, HEALTHY);
    const post = series(random, 20, HEALTHY); // 20 of 120 polls answered
    const outcome = verdictOf(impactOf(pre, post));
    expect(outcome.value).toBe('inconclusive');
    expect(outcome.reasons[0]).toMatchObject({ rule: 'low_post_coverage', value: 20, limit: 60 });
  });

  it('absolute limits: warning within the 0.9 margin, rollback above; per-project overrides move them', () => {
    const random = rng(5);
    const pre = series(random, WINDOW, HEALTHY);
    const at = (latency: number) => series(random, 30, { ...HEALTHY, latency_p95: { mean: latency, sd: 2 } });
    // against a pre window a little lower (a rise too small to be a regression), so only the absolute limit speaks
    const preHigh = series(rng(6), WINDOW, { ...HEALTHY, latency_p95: { mean: 268, sd: 2 } });
    expect(verdictOf(impactOf(preHigh, at(275)), 30 * 15)).toMatchObject({
      value: 'warning',
      reasons: [{ rule: 'latency_p95_limit', verdict: 'warning', limit: 270 }],
    });
    expect(verdictOf(impactOf(preHigh, at(275)), 30 * 15, withOverrides({ latency_p95_limit: 270 }))).toMatchObject({
      value: 'rollback_recommended',
      reasons: [{ rule: 'latency_p95_limit', limit: 270 }],
    });
    expect(verdictOf(impactOf(preHigh, at(275)), 30 * 15, withOverrides({ latency_p95_limit: 400 })).value).toBe('ok');
    // above the limit only because the service already was: a warning, not a rollback
    const preAbove = series(rng(8), WINDOW, { ...HEALTHY, latency_p95: { mean: 320, sd: 3 } });
    const outcome = verdictOf(impactOf(preAbove, at(320)), 30 * 15);
    expect(outcome).toMatchObject({ value: 'warning', reasons: [{ rule: 'latency_p95_limit', verdict: 'warning' }] });
    expect(outcome.reasons[0].message).toMatch(/as it was before the deployment/);
    // and a slowdown from a healthy pre to above the limit is a rollback (limit and regression)
    expect(verdictOf(impactOf(pre, at(320)), 30 * 15).value).toBe('rollback_recommended');
  });

  it('latency regressions: +40 % is a warning, +80 % (and ≥ 100 ms) a rollback; a fall is never a regression', () => {
    const random = rng(9);
    const pre = series(random, WINDOW, HEALTHY);
    const post = (latency: number) => series(random, 60, { ...HEALTHY, latency_p95: { mean: latency, sd: 15 } });
    expect(verdictOf(impactOf(pre, post(210)), 60 * 15)).toMatchObject({
      value: 'warning',
      reasons: [{ rule: 'latency_p95_regression', metric: 'latency_p95', verdict: 'warning' }],
    });
    expect(verdictOf(impactOf(pre, post(265)), 60 * 15).reasons).toEqual([
      expect.objectContaining({ rule: 'latency_p95_regression', verdict: 'rollback_recommended' }),
    ]);
    const faster = verdictOf(impactOf(pre, post(90)), 60 * 15);
    expect(faster.value).toBe('ok');
  });
});
