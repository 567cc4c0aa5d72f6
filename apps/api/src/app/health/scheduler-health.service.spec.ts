import { mergeTasks } from './scheduler-health.service';

describe('/health/scheduler task figures across workers', () => {
  const stats = (name: string, runs: number, last: string, mean: number, max: number, error: string | null = null) => ({
    name,
    every_ms: 100,
    runs,
    failures: error ? 1 : 0,
    skipped: 0,
    last_started_at: last,
    last_duration_ms: mean,
    mean_duration_ms: mean,
    max_duration_ms: max,
    last_error: error,
  });

  it('sums counts, keeps the latest run and the largest max, averages the means, in name order', () => {
    const merged = mergeTasks([
      [stats('claim-polls', 10, '2026-11-30T10:00:01Z', 2, 9), stats('alert-evaluation', 1, '2026-11-30T10:00:00Z', 40, 40)],
      [stats('claim-polls', 5, '2026-11-30T10:00:02Z', 4, 5, 'timeout')],
    ]);
    expect(merged.map((m) => m.name)).toEqual(['alert-evaluation', 'claim-polls']);
    expect(merged[1]).toMatchObject({
      processes: 2,
      runs: 15,
      failures: 1,
      last_started_at: '2026-11-30T10:00:02Z',
      last_duration_ms: 4,
      mean_duration_ms: 3,
      max_duration_ms: 9,
      last_error: 'timeout',
    });
  });
});
