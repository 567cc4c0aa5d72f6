import { METRIC_NAMES, MetricName } from '@seqpulse/contracts';
import { ChartPoint } from '../../charts/chart-options';
import { isoInZone, toCsv } from './export';

const T0 = Date.parse('2026-11-28T10:00:00Z');

function series(): Record<MetricName, ChartPoint[]> {
  const out = {} as Record<MetricName, ChartPoint[]>;
  for (const m of METRIC_NAMES) {
    out[m] = [
      [T0 - 15_000, 999], // before the window
      [T0, m === 'latency_p95' ? 180 : 41],
      [T0 + 15_000, null],
      [T0 + 30_000, m === 'error_rate' ? 0.25 : 12.5],
    ];
  }
  return out;
}

describe('CSV export', () => {
  it('one row per bucket of the window, one column per metric, units in the header, empty buckets empty', () => {
    const csv = toCsv(series(), { from: T0, to: T0 + 30_000 }, 'utc');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time (UTC),requests_per_sec (req/s),latency_p95 (ms),error_rate (%),cpu_usage (%),memory_usage (%)');
    expect(lines.slice(1)).toEqual([
      '2026-11-28T10:00:00Z,41,180,41,41,41',
      '2026-11-28T10:00:15Z,,,,,',
      '2026-11-28T10:00:30Z,12.5,12.5,0.25,12.5,12.5',
    ]);
  });

  it('writes local times with their offset when the view is in local time', () => {
    const csv = toCsv(series(), { from: T0, to: T0 + 30_000 }, 'local');
    const [header, first] = csv.split('\r\n');
    expect(header.startsWith('time (local time),')).toBe(true);
    const time = first.split(',')[0];
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(Date.parse(time)).toBe(T0); // the same instant
    expect(time).toBe(isoInZone(T0, 'local'));
  });

  it('formats instants in either zone', () => {
    expect(isoInZone(T0, 'utc')).toBe('2026-11-28T10:00:00Z');
    const offsetMin = -new Date(T0).getTimezoneOffset();
    const local = isoInZone(T0, 'local');
    expect(local.endsWith(offsetMin === 0 ? '+00:00' : local.slice(-6))).toBe(true);
    expect(Date.parse(local)).toBe(T0);
  });
});
