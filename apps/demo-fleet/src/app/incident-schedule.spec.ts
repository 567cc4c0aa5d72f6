import { DEFAULT_INCIDENT_CYCLE, DEFAULT_INCIDENT_RULES, incidentsForTarget, scheduledModeAt } from './incident-schedule';
import { INCIDENT_KINDS, modeIntensity, RELEASE_KINDS } from './modes';
import { targetProfile } from './target-profile';
import { computeMetrics } from './traffic-model';

/** A cycle boundary: cycles are aligned to multiples of 30 min since the epoch. */
const CYCLE_START = Date.UTC(2026, 10, 28, 10, 0, 0);
const at = (minutes: number, seconds = 0) => CYCLE_START + minutes * 60_000 + seconds * 1000;
const modeAt = (t: number) => scheduledModeAt(t, INCIDENT_KINDS, DEFAULT_INCIDENT_CYCLE)?.mode ?? 'normal';

describe('incident rules', () => {
  it('gives targets containing "prod" the whole cycle', () => {
    expect(incidentsForTarget('shop-prod', DEFAULT_INCIDENT_RULES)).toEqual(INCIDENT_KINDS);
    expect(incidentsForTarget('prod', DEFAULT_INCIDENT_RULES)).toEqual(INCIDENT_KINDS);
  });

  it('keeps bench-* and other targets quiet', () => {
    expect(incidentsForTarget('bench-17', DEFAULT_INCIDENT_RULES)).toEqual([]);
    expect(incidentsForTarget('bench-prod-1', DEFAULT_INCIDENT_RULES)).toEqual([]);
    expect(incidentsForTarget('shop-qa', DEFAULT_INCIDENT_RULES)).toEqual([]);
  });

  it('plays the demo releases on staging targets: noisy at 10:45–15:45, bad at 20:45–24:00 of the cycle, nothing else', () => {
    const staging = incidentsForTarget('checkout-staging', DEFAULT_INCIDENT_RULES);
    expect(staging).toEqual(RELEASE_KINDS);
    const at = (minutes: number) => scheduledModeAt(1800_000 * 1000 + minutes * 60_000, staging, DEFAULT_INCIDENT_CYCLE)?.mode ?? 'normal';
    expect([0, 3, 7, 10.5, 11, 15.5, 16, 20.5, 21, 23.9, 24.1, 29].map(at)).toEqual([
      'normal',
      'normal',
      'normal',
      'normal',
      'jittery',
      'jittery',
      'normal',
      'normal',
      'error_burst',
      'error_burst',
      'normal',
      'normal',
    ]);
  });

  it('uses the first matching rule', () => {
    const rules = [
      { pattern: /^api-/, incidents: ['outage' as const] },
      { pattern: /./, incidents: ['error_burst' as const] },
    ];
    expect(incidentsForTarget('api-prod', rules)).toEqual(['outage']);
    expect(incidentsForTarget('web', rules)).toEqual(['error_burst']);
  });
});

describe('default incident cycle', () => {
  it.each([
    [0, 'normal'],
    [1, 'normal'],
    [2, 'error_burst'],
    [4, 'error_burst'],
    [5, 'normal'],
    [6, 'cpu_saturation'],
    [12, 'cpu_saturation'],
    [13, 'normal'],
    [14, 'memory_creep'],
    [21, 'memory_creep'],
    [22, 'outage'],
    [27, 'outage'],
    [28, 'memory_restart'],
    [29, 'memory_restart'],
    [30, 'normal'],
    [32, 'error_burst'],
  ])('minute %i of the cycle: %s', (minute, mode) => {
    expect(modeAt(at(minute, 15))).toBe(mode);
  });

  it('plays only the enabled incidents', () => {
    expect(scheduledModeAt(at(2, 30), ['outage'], DEFAULT_INCIDENT_CYCLE)).toBeNull();
    expect(scheduledModeAt(at(22, 30), ['memory_creep'], DEFAULT_INCIDENT_CYCLE)?.mode).toBe('memory_restart');
    expect(scheduledModeAt(at(22, 30), [], DEFAULT_INCIDENT_CYCLE)).toBeNull();
  });

  it('works for instants before 1970 too (negative modulo)', () => {
    expect(scheduledModeAt(-1800_000 + 150_000, INCIDENT_KINDS, DEFAULT_INCIDENT_CYCLE)?.mode).toBe('error_burst');
  });

  const profile = targetProfile('shop-prod');
  const metricsAt = (t: number) =>
    computeMetrics(
      profile,
      t,
      scheduledModeAt(t, INCIDENT_KINDS, DEFAULT_INCIDENT_CYCLE) ?? {
        mode: 'normal',
        source: 'baseline',
        elapsedMs: 0,
        durationMs: null,
        rampUpMs: 0,
        rampDownMs: 0,
      },
    );
  const every15s = (fromMin: number, toMin: number) => Array.from({ length: (toMin - fromMin) * 4 }, (_, i) => at(fromMin) + i * 15_000);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

  it('error burst lasts 2.5 min at 0.05..0.1', () => {
    for (const t of every15s(2, 4)) {
      expect(metricsAt(t).error_rate).toBeGreaterThanOrEqual(0.05);
      expect(metricsAt(t).error_rate).toBeLessThanOrEqual(0.1);
    }
  });

  it('cpu stays above 0.9 for at least 3 minutes', () => {
    const saturated = every15s(6, 13).filter((t) => metricsAt(t).cpu_usage > 0.9);
    expect(saturated.length * 15).toBeGreaterThanOrEqual(180);
  });

  it('memory creeps above 0.9 and drops after the restart', () => {
    const creep = every15s(14, 22).map((t) => metricsAt(t).memory_usage);
    expect(creep[0]).toBeLessThan(0.7);
    expect(Math.max(...creep)).toBeGreaterThan(0.9);
    // Rising: each minute higher than the one before during the ramp.
    for (let i = 4; i < 20; i += 4) expect(creep[i]).toBeGreaterThan(creep[i - 4]);
    expect(metricsAt(at(28)).memory_usage).toBeLessThan(metricsAt(at(0)).memory_usage);
  });

  it('drives the 5-minute means over the default alert thresholds', () => {
    expect(mean(every15s(0, 5).map((t) => metricsAt(t).error_rate))).toBeGreaterThan(0.01);
    expect(mean(every15s(7, 12).map((t) => metricsAt(t).cpu_usage))).toBeGreaterThan(0.8);
    expect(mean(every15s(7, 12).map((t) => metricsAt(t).latency_p95))).toBeGreaterThan(500);
    expect(mean(every15s(17, 22).map((t) => metricsAt(t).memory_usage))).toBeGreaterThan(0.85);
  });

  it('ramps cpu up and down instead of jumping', () => {
    const window = scheduledModeAt(at(7), INCIDENT_KINDS, DEFAULT_INCIDENT_CYCLE);
    expect(window && modeIntensity(window)).toBeCloseTo(0.5, 5);
  });
});
