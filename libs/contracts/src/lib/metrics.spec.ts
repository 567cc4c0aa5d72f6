import { METRIC_NAMES, validateMetricValues } from './metrics';
import { defaultStepFor, STEP_SECONDS, MAX_POINTS_PER_SERIES } from './monitoring';

const valid = {
  requests_per_sec: 12.5,
  latency_p95: 180,
  error_rate: 0.002,
  cpu_usage: 0.41,
  memory_usage: 0.63,
};

describe('validateMetricValues', () => {
  it('accepts the contract example and ignores extra keys', () => {
    const r = validateMetricValues({ ...valid, extra: 'x' });
    expect(r).toEqual({ ok: true, values: valid });
  });

  it.each(METRIC_NAMES)('rejects a sample missing %s', (name) => {
    const input: Record<string, unknown> = { ...valid };
    delete input[name];
    expect(validateMetricValues(input)).toMatchObject({ ok: false, metric: name });
  });

  it.each([
    ['error_rate', 1.5],
    ['cpu_usage', -0.1],
    ['latency_p95', -1],
    ['requests_per_sec', Number.NaN],
    ['memory_usage', Number.POSITIVE_INFINITY],
    ['latency_p95', '180'],
  ])('rejects %s = %p', (metric, value) => {
    const r = validateMetricValues({ ...valid, [metric]: value });
    expect(r).toMatchObject({ ok: false, metric, value });
  });

  it('accepts the range edges', () => {
    expect(validateMetricValues({ ...valid, error_rate: 1, cpu_usage: 0 }).ok).toBe(true);
  });

  it('rejects a non-object', () => {
    expect(validateMetricValues([1, 2]).ok).toBe(false);
    expect(validateMetricValues(null).ok).toBe(false);
  });
});

describe('defaultStepFor', () => {
  it('picks 15s for short ranges and coarser steps for long ones', () => {
    expect(defaultStepFor(3600)).toBe('15s');
    expect(defaultStepFor(6 * 3600)).toBe('15s');
    expect(defaultStepFor(24 * 3600)).toBe('60s');
    expect(defaultStepFor(7 * 86400)).toBe('15m');
  });
  it('never exceeds the point limit for a year', () => {
    const step = defaultStepFor(365 * 86400);
    expect((365 * 86400) / STEP_SECONDS[step]).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
  });
});
