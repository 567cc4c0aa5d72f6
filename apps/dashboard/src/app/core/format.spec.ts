import { formatAlertValue, formatDisplay, formatDuration, formatMetric, formatThreshold, isoSeconds, ruleLabel, toDisplay } from './format';

describe('format', () => {
  it('applies the display factor of the catalogue', () => {
    expect(toDisplay('error_rate', 0.012)).toBeCloseTo(1.2);
    expect(toDisplay('latest' as never, null)).toBeNull();
    expect(toDisplay('latency_p95', 180)).toBe(180);
  });

  it('formats values with their unit', () => {
    expect(formatMetric('error_rate', 0.002)).toBe('0.2 %');
    expect(formatMetric('latency_p95', 180)).toBe('180 ms');
    expect(formatMetric('requests_per_sec', 12.46)).toBe('12.5 req/s');
    expect(formatDisplay('cpu_usage', null)).toBe('—');
  });

  it('labels rules and their thresholds', () => {
    expect(ruleLabel('cpu_high')).toBe('CPU high');
    expect(ruleLabel('no_data')).toBe('No data');
    expect(formatThreshold('memory_high', 0.85)).toBe('85 %');
    expect(formatThreshold('no_data', 5)).toBe('5 min without data');
    expect(formatAlertValue('latency_p95_high', 612)).toBe('612 ms');
    expect(formatAlertValue('no_data', null)).toBe('no samples');
  });

  it('formats durations', () => {
    expect(formatDuration(4_000)).toBe('4 s');
    expect(formatDuration(192_000)).toBe('3 min 12 s');
    expect(formatDuration(7_500_000)).toBe('2 h 5 min');
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(3 * 86400_000)).toBe('3 d');
  });

  it('writes contract timestamps at second precision', () => {
    expect(isoSeconds(Date.UTC(2026, 10, 28, 10, 15, 0, 999))).toBe('2026-11-28T10:15:00Z');
  });
});
