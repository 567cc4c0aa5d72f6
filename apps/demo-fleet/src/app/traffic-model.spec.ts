import { METRIC_NAMES, validateMetricValues } from '@seqpulse/contracts';
import { ActiveMode, BASELINE_MODE, TargetMode } from './modes';
import { targetProfile } from './target-profile';
import { baselineMetrics, computeMetrics, dailyLoadFactor } from './traffic-model';

const T0 = Date.UTC(2026, 10, 28, 10, 0, 0);
const MINUTE = 60_000;

function fullIntensity(mode: TargetMode): ActiveMode {
  return {
    mode,
    source: 'forced',
    elapsedMs: 0,
    durationMs: null,
    rampUpMs: 0,
    rampDownMs: 0,
  };
}

const NAMES = [
  ...Array.from({ length: 60 }, (_, i) => `bench-${i * 163}`),
  'shop-prod',
  'checkout-prod',
  'search-staging',
  'a',
  '0',
  '-',
  'x'.repeat(64),
];

describe('traffic model', () => {
  it.each(['normal', 'error_burst', 'cpu_saturation', 'memory_creep', 'memory_restart', 'jittery'] as TargetMode[])(
    'stays inside the contract ranges in mode %s for many names over two days',
    (mode) => {
      for (const name of NAMES) {
        const profile = targetProfile(name);
        for (let t = T0; t < T0 + 2 * 24 * 60 * MINUTE; t += 37 * MINUTE + 13_000) {
          const result = validateMetricValues(computeMetrics(profile, t, fullIntensity(mode)));
          if (!result.ok) throw new Error(`${name} @ ${new Date(t).toISOString()}: ${result.reason}`);
        }
      }
    },
  );

  it('is deterministic for a (name, time) pair', () => {
    const a = computeMetrics(targetProfile('shop-prod'), T0 + 12_345, BASELINE_MODE);
    const b = computeMetrics(targetProfile('shop-prod'), T0 + 12_345, BASELINE_MODE);
    expect(a).toEqual(b);
  });

  it('gives different targets different levels', () => {
    const levels = new Set(NAMES.map((n) => computeMetrics(targetProfile(n), T0, BASELINE_MODE).requests_per_sec));
    expect(levels.size).toBeGreaterThan(NAMES.length * 0.9);
  });

  it('moves with noise from one poll to the next, but smoothly', () => {
    const profile = targetProfile('shop-prod');
    const series = Array.from({ length: 40 }, (_, i) => baselineMetrics(profile, T0 + i * 15_000).requests_per_sec);
    expect(new Set(series).size).toBe(series.length);
    for (let i = 1; i < series.length; i++) {
      expect(Math.abs(series[i] - series[i - 1]) / series[i - 1]).toBeLessThan(0.2);
    }
  });

  it('follows a daily curve peaking at the profile peak hour', () => {
    const profile = targetProfile('shop-prod');
    const midnight = Date.UTC(2026, 10, 28);
    const atPeak = dailyLoadFactor(profile, midnight + profile.peakHourUtc * 3_600_000);
    const atTrough = dailyLoadFactor(profile, midnight + (profile.peakHourUtc + 12) * 3_600_000);
    expect(atPeak).toBeCloseTo(1 + profile.dailyAmplitude, 6);
    expect(atTrough).toBeCloseTo(1 - profile.dailyAmplitude, 6);
  });

  it('keeps quiet targets under every default alert threshold', () => {
    const breaches: string[] = [];
    for (const name of NAMES) {
      const profile = targetProfile(name);
      for (let t = T0; t < T0 + 24 * 60 * MINUTE; t += 7 * MINUTE) {
        const v = computeMetrics(profile, t, BASELINE_MODE);
        const quiet = v.error_rate < 0.01 && v.latency_p95 < 500 && v.cpu_usage < 0.8 && v.memory_usage < 0.85 && v.requests_per_sec > 0;
        if (!quiet) breaches.push(`${name} @ ${t}: ${JSON.stringify(v)}`);
      }
    }
    expect(breaches).toEqual([]);
  });

  describe('incidents at full intensity', () => {
    const profile = targetProfile('shop-prod');
    const at = (mode: TargetMode) => computeMetrics(profile, T0, fullIntensity(mode));

    it('error burst: error_rate 0.05..0.1', () => {
      for (let t = T0; t < T0 + 3 * MINUTE; t += 15_000) {
        const v = computeMetrics(profile, t, fullIntensity('error_burst'));
        expect(v.error_rate).toBeGreaterThanOrEqual(0.05);
        expect(v.error_rate).toBeLessThanOrEqual(0.1);
      }
    });

    it('cpu saturation: cpu above 0.9, latency above 500 ms', () => {
      expect(at('cpu_saturation').cpu_usage).toBeGreaterThan(0.9);
      expect(at('cpu_saturation').latency_p95).toBeGreaterThan(500);
    });

    it('memory creep: memory above 0.9', () => {
      expect(at('memory_creep').memory_usage).toBeGreaterThan(0.9);
    });

    it('jittery: a wider spread of latency and errors at the same levels (a harmless noisy release)', () => {
      const polls = (mode: TargetMode) =>
        Array.from({ length: 20 * 4 }, (_, i) => computeMetrics(profile, T0 + i * 15_000, fullIntensity(mode)));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const spread = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
      for (const metric of ['latency_p95', 'error_rate'] as const) {
        const normal = polls('normal').map((v) => v[metric]);
        const noisy = polls('jittery').map((v) => v[metric]);
        expect(Math.abs(mean(noisy) / mean(normal) - 1)).toBeLessThan(0.08);
        expect(spread(noisy)).toBeGreaterThan(spread(normal) * 1.2);
      }
    });

    it('memory restart: memory well below normal', () => {
      expect(at('memory_restart').memory_usage).toBeLessThan(at('normal').memory_usage - 0.2);
    });
  });

  it('ramps: half way up a ramp gives about half the effect', () => {
    const profile = targetProfile('shop-prod');
    const normal = computeMetrics(profile, T0, BASELINE_MODE).cpu_usage;
    const half = computeMetrics(profile, T0, {
      ...fullIntensity('cpu_saturation'),
      elapsedMs: 60_000,
      rampUpMs: 120_000,
    }).cpu_usage;
    const full = computeMetrics(profile, T0, fullIntensity('cpu_saturation')).cpu_usage;
    expect(half).toBeCloseTo((normal + full) / 2, 1);
  });

  it('reports exactly the contract metric names', () => {
    expect(Object.keys(computeMetrics(targetProfile('x'), T0, BASELINE_MODE)).sort()).toEqual([...METRIC_NAMES].sort());
  });
});
