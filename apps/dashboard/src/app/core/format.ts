import { alertRule, AlertRuleName, METRICS, MetricName } from '@seqpulse/contracts';

/** Stored value → displayed value (ratios become %), per the metric catalogue. */
export function toDisplay(metric: MetricName, value: number | null): number | null {
  return value === null ? null : value * METRICS[metric].displayFactor;
}

/**
 * The formatters are made once: `toLocaleString` with options builds a new `Intl` formatter at every call, which
 * made number and date formatting most of a chart redraw's script time (labels, tooltips of every deployment).
 */
const NUMBER_FORMATS = [0, 1, 2].map(
  (digits) => new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 }),
);
let dateTimeFormat: Intl.DateTimeFormat | null = null;

export function formatNumber(value: number): string {
  const abs = Math.abs(value);
  return NUMBER_FORMATS[abs >= 100 ? 0 : abs >= 10 ? 1 : 2].format(value);
}

/** A displayed value with its unit: `12.4 req/s`, `180 ms`, `0.2 %`. */
export function formatDisplay(metric: MetricName, displayValue: number | null | undefined): string {
  if (displayValue === null || displayValue === undefined || Number.isNaN(displayValue)) return '—';
  return `${formatNumber(displayValue)} ${METRICS[metric].displayUnit}`;
}

/** A stored (raw) value with its unit. */
export function formatMetric(metric: MetricName, raw: number | null | undefined): string {
  return formatDisplay(metric, raw === null || raw === undefined ? null : raw * METRICS[metric].displayFactor);
}

/** The metric a rule watches (silence rules watch none). */
export function ruleMetric(rule: AlertRuleName): MetricName | null {
  const definition = alertRule(rule);
  return definition.kind === 'threshold' ? definition.metric : null;
}

export function ruleLabel(rule: AlertRuleName): string {
  const definition = alertRule(rule);
  if (definition.kind === 'silence') return 'No data';
  return `${METRICS[definition.metric].label} ${definition.comparison === 'above' ? 'high' : 'low'}`;
}

/** The value of an alert instance (`no_data` has none). */
export function formatAlertValue(rule: AlertRuleName, value: number | null): string {
  const metric = ruleMetric(rule);
  if (!metric) return value === null ? 'no samples' : `${formatNumber(value)} min`;
  return formatMetric(metric, value);
}

export function formatThreshold(rule: AlertRuleName, threshold: number): string {
  const metric = ruleMetric(rule);
  return metric ? formatMetric(metric, threshold) : `${formatNumber(threshold)} min without data`;
}

/** `45 s`, `3 min 12 s`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  // made at first use, in the browser's time zone of that moment
  dateTimeFormat ??= new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return dateTimeFormat.format(date);
}

/** Epoch ms → ISO-8601 UTC at second precision, as in the contract (`2026-11-28T10:15:00Z`). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
