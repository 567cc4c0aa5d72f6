import { AlertRulesResponse, METRIC_NAMES, MetricName, TimeseriesPoint, TimeseriesResponse } from '@seqpulse/contracts';

const T0 = Date.parse('2026-11-28T10:00:00Z');

/** Four 15 s buckets; the third is empty (null) for every metric; one successful deployment. */
export function sampleResponse(overrides: Partial<TimeseriesResponse> = {}): TimeseriesResponse {
  const values: Record<MetricName, (number | null)[]> = {
    requests_per_sec: [12.4, 13, null, 11],
    latency_p95: [180, 210, null, 190],
    error_rate: [0.002, 0.004, null, 0.001],
    cpu_usage: [0.41, 0.45, null, 0.5],
    memory_usage: [0.63, 0.64, null, 0.65],
  };
  const series = {} as Record<MetricName, TimeseriesPoint[]>;
  for (const m of METRIC_NAMES) {
    series[m] = values[m].map((v, i) => ({ t: new Date(T0 + i * 15_000).toISOString().replace('.000Z', 'Z'), v }));
  }
  return {
    project_id: 'p1',
    env: 'prod',
    phase: null,
    step: '15s',
    from: '2026-11-28T10:00:00Z',
    to: '2026-11-28T10:01:00Z',
    series,
    deployments: [
      {
        deployment_id: 'd1',
        env: 'prod',
        started_at: '2026-11-28T10:00:10Z',
        finished_at: '2026-11-28T10:00:20Z',
        result: 'success',
      },
    ],
    ...overrides,
  };
}

export function sampleRules(): AlertRulesResponse {
  return {
    project_id: 'p1',
    rules: [
      { rule: 'error_rate_high', env: null, threshold: 0.01, enabled: true },
      { rule: 'latency_p95_high', env: null, threshold: 500, enabled: true },
      { rule: 'latency_p95_high', env: 'prod', threshold: 400, enabled: true },
      { rule: 'cpu_high', env: null, threshold: 0.8, enabled: true },
      { rule: 'memory_high', env: null, threshold: 0.85, enabled: false },
      { rule: 'no_data', env: null, threshold: 5, enabled: true },
    ],
  };
}

export const FIXTURE_T0 = T0;
