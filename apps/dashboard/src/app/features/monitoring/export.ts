import { METRIC_NAMES, METRICS, MetricName } from '@seqpulse/contracts';
import { ChartPoint, TimeWindow } from '../../charts/chart-options';
import { TimeZoneMode } from './view-state';

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** ISO-8601 of an instant: `2026-11-28T10:00:00Z` in UTC, `2026-11-28T11:00:00+01:00` in local time. */
export function isoInZone(ms: number, tz: TimeZoneMode): string {
  const d = new Date(ms);
  if (tz === 'utc') return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  );
}

/**
 * The visible range as CSV: one row per bucket, one column per metric, the displayed values (ratios in %) with
 * their unit in the header, ISO times in the view's time zone, an empty cell for an empty bucket (never 0).
 */
export function toCsv(series: Record<MetricName, readonly ChartPoint[]>, window: TimeWindow, tz: TimeZoneMode): string {
  const times = new Set<number>();
  const byMetric = {} as Record<MetricName, Map<number, number | null>>;
  for (const m of METRIC_NAMES) {
    byMetric[m] = new Map();
    for (const [t, v] of series[m]) {
      if (t < window.from - 1 || t > window.to) continue;
      times.add(t);
      byMetric[m].set(t, v);
    }
  }
  const header = [`time (${tz === 'utc' ? 'UTC' : 'local time'})`, ...METRIC_NAMES.map((m) => `${m} (${METRICS[m].displayUnit})`)];
  const rows = [...times]
    .sort((a, b) => a - b)
    .map((t) => [isoInZone(t, tz), ...METRIC_NAMES.map((m) => formatCell(byMetric[m].get(t) ?? null))].join(','));
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}

function formatCell(v: number | null): string {
  return v === null ? '' : String(Number(v.toPrecision(12)));
}
