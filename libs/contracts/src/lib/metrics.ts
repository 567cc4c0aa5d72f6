/**
 * The five realtime metrics: the single source of their names, units, valid ranges
 * and per-step aggregation (docs/api.md, "The five metrics").
 */
export const METRIC_NAMES = ['requests_per_sec', 'latency_p95', 'error_rate', 'cpu_usage', 'memory_usage'] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** How samples inside one bucket are combined. A mean of percentiles is meaningless, hence `max`. */
export type StepAggregation = 'mean' | 'max';

export type MetricUnit = 'requests_per_second' | 'milliseconds' | 'ratio';

export interface MetricDefinition {
  name: MetricName;
  /** Human label for charts and tables. */
  label: string;
  unit: MetricUnit;
  /** Short unit as shown on an axis once the display transform is applied. */
  displayUnit: string;
  /** Multiply the stored value by this to display it (ratios are shown in %). */
  displayFactor: number;
  min: number;
  /** `null` means unbounded above. */
  max: number | null;
  aggregation: StepAggregation;
  /** Decimals shown once the display factor is applied (tooltips, notifications). */
  decimals: number;
  /** Line colour of the metric's chart, per colour scheme. */
  color: { light: string; dark: string };
}

export const METRICS: Readonly<Record<MetricName, MetricDefinition>> = {
  requests_per_sec: {
    name: 'requests_per_sec',
    label: 'Requests/sec',
    unit: 'requests_per_second',
    displayUnit: 'req/s',
    displayFactor: 1,
    min: 0,
    max: null,
    aggregation: 'mean',
    decimals: 1,
    color: { light: '#2f6fdf', dark: '#6ea1ff' },
  },
  latency_p95: {
    name: 'latency_p95',
    label: 'Latency P95',
    unit: 'milliseconds',
    displayUnit: 'ms',
    displayFactor: 1,
    min: 0,
    max: null,
    aggregation: 'max',
    decimals: 1,
    color: { light: '#7b3fc4', dark: '#b58cff' },
  },
  error_rate: {
    name: 'error_rate',
    label: 'Error rate',
    unit: 'ratio',
    displayUnit: '%',
    displayFactor: 100,
    min: 0,
    max: 1,
    aggregation: 'mean',
    decimals: 2,
    color: { light: '#d0342c', dark: '#ff7a70' },
  },
  cpu_usage: {
    name: 'cpu_usage',
    label: 'CPU',
    unit: 'ratio',
    displayUnit: '%',
    displayFactor: 100,
    min: 0,
    max: 1,
    aggregation: 'mean',
    decimals: 2,
    color: { light: '#0f8a80', dark: '#3fd1c2' },
  },
  memory_usage: {
    name: 'memory_usage',
    label: 'Memory',
    unit: 'ratio',
    displayUnit: '%',
    displayFactor: 100,
    min: 0,
    max: 1,
    aggregation: 'mean',
    decimals: 2,
    color: { light: '#b8560b', dark: '#ffa45c' },
  },
};

export type MetricValues = Record<MetricName, number>;

/** A value in the metric's display unit, e.g. `180.5 ms`, `1.25 %`. */
export function formatMetricValue(metric: MetricName, value: number): string {
  const def = METRICS[metric];
  const f = 10 ** def.decimals;
  return `${Math.round(value * def.displayFactor * f) / f} ${def.displayUnit}`;
}

export type MetricValidation =
  | { ok: true; values: MetricValues }
  | { ok: false; metric: MetricName | null; value: unknown; reason: string };

/**
 * Validates a customer's `metrics` object. One bad metric makes the whole sample invalid.
 * Extra keys are ignored.
 */
export function validateMetricValues(input: unknown): MetricValidation {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, metric: null, value: input, reason: '"metrics" is not an object' };
  }
  const source = input as Record<string, unknown>;
  const values = {} as MetricValues;
  for (const name of METRIC_NAMES) {
    const def = METRICS[name];
    const value = source[name];
    if (value === undefined) {
      return { ok: false, metric: name, value: null, reason: `${name} is missing` };
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return { ok: false, metric: name, value, reason: `${name} is not a finite number` };
    }
    if (value < def.min || (def.max !== null && value > def.max)) {
      const range = def.max === null ? `>= ${def.min}` : `${def.min}..${def.max}`;
      return { ok: false, metric: name, value, reason: `${name} is outside ${range}` };
    }
    values[name] = value;
  }
  return { ok: true, values };
}
