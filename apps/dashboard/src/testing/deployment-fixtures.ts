import { DeploymentDetail, DeploymentSummary, METRIC_NAMES, MetricImpact, MetricName, TimeseriesResponse } from '@seqpulse/contracts';

/** A bad release: triggered 10:20:00, finished 10:20:45, 5-minute window; its error rate rose from 0.2 % to 8 %. */
export const BAD_RELEASE: DeploymentSummary = {
  deployment_id: 'd-bad',
  env: 'staging',
  branch: 'feature/new-checkout',
  idempotency_key: 'demo-bad-1',
  started_at: '2026-11-28T10:20:00Z',
  finished_at: '2026-11-28T10:20:45Z',
  result: 'success',
  verdict: 'rollback_recommended',
  verdict_final: false,
};

function quiet(mean: number): MetricImpact {
  return {
    pre: { count: 20, mean, p95: mean * 1.1 },
    post: { count: 20, mean, p95: mean * 1.1 },
    change_abs: 0,
    change_rel: 0,
    significant: false,
    p_value: 0.8,
  };
}

export function badReleaseDetail(): DeploymentDetail {
  const metrics = {} as Record<MetricName, MetricImpact>;
  for (const m of METRIC_NAMES) metrics[m] = quiet(m === 'latency_p95' ? 120 : m === 'requests_per_sec' ? 40 : 0.4);
  metrics.error_rate = {
    pre: { count: 20, mean: 0.002, p95: 0.004 },
    post: { count: 6, mean: 0.08, p95: 0.095 },
    change_abs: 0.078,
    change_rel: 39,
    significant: null,
    p_value: null,
  };
  const { verdict, verdict_final, ...rest } = BAD_RELEASE;
  void verdict;
  void verdict_final;
  return {
    ...rest,
    project_id: 'p1',
    window_ends_at: '2026-11-28T10:25:45Z',
    impact: {
      pre: { from: '2026-11-28T10:15:00Z', to: '2026-11-28T10:20:00Z' },
      post: { from: '2026-11-28T10:20:45Z', to: '2026-11-28T10:22:15Z' },
      metrics,
    },
    verdict: {
      value: 'rollback_recommended',
      final: false,
      computed_at: '2026-11-28T10:22:15Z',
      reasons: [
        {
          rule: 'error_rate_limit',
          metric: 'error_rate',
          value: 0.08,
          limit: 0.01,
          verdict: 'rollback_recommended',
          message: 'error_rate post mean 8 % is above the limit 1 %',
        },
      ],
    },
  };
}

/** Samples every 15 s from 10:15:00 to 10:22:15 (error rate 0.2 % before, 8 % after the finish, one gap). */
export function badReleaseSeries(): TimeseriesResponse {
  const from = Date.parse('2026-11-28T10:15:00Z');
  const finish = Date.parse(BAD_RELEASE.finished_at as string);
  const series = {} as TimeseriesResponse['series'];
  for (const m of METRIC_NAMES) series[m] = [];
  for (let t = from; t <= Date.parse('2026-11-28T10:22:15Z'); t += 15_000) {
    const iso = new Date(t).toISOString().replace('.000Z', 'Z');
    const gap = t === Date.parse('2026-11-28T10:21:15Z');
    for (const m of METRIC_NAMES) {
      const v = m === 'error_rate' ? (t >= finish ? 0.08 : 0.002) : 0.4;
      series[m].push({ t: iso, v: gap ? null : v });
    }
  }
  return {
    project_id: 'p1',
    env: 'staging',
    phase: null,
    step: '15s',
    from: '2026-11-28T10:15:00Z',
    to: '2026-11-28T10:22:16Z',
    series,
    deployments: [],
  };
}
