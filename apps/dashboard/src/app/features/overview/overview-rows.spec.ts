import { METRIC_NAMES, MetricName, OverviewEnv, OverviewResponse } from '@seqpulse/contracts';
import { filterRows, healthOf, sortRows, STALE_AFTER_MS, toRows } from './overview-rows';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const spark = Object.fromEntries(METRIC_NAMES.map((m) => [m, new Array(60).fill(null)])) as Record<MetricName, (number | null)[]>;
const env = (name: string, o: Partial<OverviewEnv> = {}): OverviewEnv => ({
  env: name,
  last_sample_at: new Date(NOW - 10_000).toISOString(),
  values: { requests_per_sec: 10, latency_p95: 100, error_rate: 0.001, cpu_usage: 0.3, memory_usage: 0.4 },
  spark,
  firing: { warning: 0, critical: 0 },
  last_deployment: null,
  ...o,
});

const RESPONSE: OverviewResponse = {
  projects: [
    {
      project_id: 'a',
      name: 'Alpha',
      plan: 'enterprise',
      monitoring: { enabled: true },
      envs: [env('prod'), env('staging', { last_sample_at: null, values: null })],
    },
    {
      project_id: 'b',
      name: 'Beta',
      plan: 'enterprise',
      monitoring: { enabled: true },
      envs: [env('prod', { firing: { warning: 0, critical: 2 } })],
    },
    { project_id: 'c', name: 'Blog', plan: 'free', monitoring: { enabled: false, reason: 'plan_not_enterprise' }, envs: [] },
    {
      project_id: 'd',
      name: 'Delta',
      plan: 'enterprise',
      monitoring: { enabled: true },
      envs: [env('prod', { last_sample_at: new Date(NOW - STALE_AFTER_MS - 1000).toISOString() })],
    },
  ],
};

describe('overview rows', () => {
  it('one row per env of a monitored project, one row for a project without Realtime', () => {
    const rows = toRows(RESPONSE, NOW);
    expect(rows.map((r) => `${r.name}/${r.env ?? '-'}:${r.health}`)).toEqual([
      'Alpha/prod:ok',
      'Alpha/staging:waiting',
      'Beta/prod:critical',
      'Blog/-:off',
      'Delta/prod:stale',
    ]);
  });

  it('health: alerts first, then missing or old data', () => {
    expect(healthOf({ warning: 1, critical: 1 }, NOW, NOW)).toBe('critical');
    expect(healthOf({ warning: 1, critical: 0 }, null, NOW)).toBe('warning');
    expect(healthOf({ warning: 0, critical: 0 }, null, NOW)).toBe('waiting');
    expect(healthOf({ warning: 0, critical: 0 }, NOW - STALE_AFTER_MS - 1, NOW)).toBe('stale');
    expect(healthOf({ warning: 0, critical: 0 }, NOW - 1000, NOW)).toBe('ok');
  });

  it('sorts worst first, projects without Realtime last; by name; by age of the last sample', () => {
    const rows = toRows(RESPONSE, NOW);
    expect(sortRows(rows, 'worst').map((r) => r.key)).toEqual(['b/prod', 'd/prod', 'a/staging', 'a/prod', 'c']);
    expect(sortRows(rows, 'name').map((r) => r.key)).toEqual(['a/prod', 'a/staging', 'b/prod', 'c', 'd/prod']);
    expect(sortRows(rows, 'age')[0].lastSampleAt).toBeNull();
  });

  it('filters by project or env name, and to problems only', () => {
    const rows = toRows(RESPONSE, NOW);
    expect(filterRows(rows, 'BET', false).map((r) => r.key)).toEqual(['b/prod']);
    expect(filterRows(rows, 'staging', false).map((r) => r.key)).toEqual(['a/staging']);
    expect(filterRows(rows, '', true).map((r) => r.key)).toEqual(['a/staging', 'b/prod', 'd/prod']);
  });
});
