import { badReleaseDetail, badReleaseSeries } from '../../../testing/deployment-fixtures';
import { causeMetrics, comparisonRange, impactRows, reasonRows, windowComparison } from './deployment-comparison';

describe('impact → comparison series', () => {
  it('puts the pre and post windows on one axis of minutes from each window start, display units, gaps kept', () => {
    const c = windowComparison(badReleaseDetail(), badReleaseSeries(), 'error_rate');
    expect(c).not.toBeNull();
    if (!c) return;
    expect(c.minutes).toBe(5);
    // pre: 10:15:00 … 10:19:45 (the trigger at 10:20:00 is outside), 20 buckets from minute 0
    expect(c.pre).toHaveLength(20);
    expect(c.pre[0]).toEqual([0, 0.2]);
    expect(c.pre[19][0]).toBeCloseTo(4.75);
    // post: from the finish (10:20:45) to post.to (10:22:15) inclusive: 7 buckets, the gap at 10:21:15 stays null
    expect(c.post.map(([x]) => x)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5]);
    expect(c.post[2]).toEqual([0.5, null]);
    expect(c.post[0][1]).toBeCloseTo(8);
    // the 45 s of the deployment itself belong to neither window
    expect(c.pre.length + c.post.length).toBeLessThan(badReleaseSeries().series.error_rate.length);
  });

  it('reads the samples from the pre start to the post end so far, at a fine step; none while running', () => {
    expect(comparisonRange(badReleaseDetail())).toEqual({
      from: Date.parse('2026-11-28T10:15:00Z'),
      to: Date.parse('2026-11-28T10:22:15Z'),
      step: '15s',
    });
    expect(comparisonRange({ ...badReleaseDetail(), impact: null })).toBeNull();
    expect(windowComparison({ ...badReleaseDetail(), impact: null }, badReleaseSeries(), 'cpu_usage')).toBeNull();
  });
});

describe('impact → table and reasons', () => {
  it('formats each metric in its unit, with signed changes, significance and the metric that fired', () => {
    const rows = impactRows(badReleaseDetail());
    expect(rows.map((r) => r.metric)).toEqual(['requests_per_sec', 'latency_p95', 'error_rate', 'cpu_usage', 'memory_usage']);
    const error = rows.find((r) => r.metric === 'error_rate');
    expect(error).toEqual({
      metric: 'error_rate',
      label: expect.any(String),
      pre: { count: 20, mean: '0.2 %', p95: '0.4 %' },
      post: { count: 6, mean: '8 %', p95: '9.5 %' },
      changeAbs: '+7.8 %',
      changeRel: '+3,900 %',
      significant: '—',
      fired: true,
    });
    const cpu = rows.find((r) => r.metric === 'cpu_usage');
    expect(cpu).toMatchObject({ changeAbs: '0 %', changeRel: '0 %', significant: 'no (p = 0.80)', fired: false });
  });

  it('lists every rule that fired with its numbers in the metric unit, and the metrics that caused the verdict', () => {
    const detail = badReleaseDetail();
    expect(reasonRows(detail.verdict)).toEqual([
      {
        rule: 'error_rate_limit',
        metric: expect.any(String),
        verdict: 'rollback_recommended',
        value: '8 %',
        limit: '1 %',
        message: 'error_rate post mean 8 % is above the limit 1 %',
      },
    ]);
    expect(causeMetrics(detail.verdict)).toEqual(['error_rate']);
    const counts = reasonRows({
      ...(detail.verdict as NonNullable<typeof detail.verdict>),
      reasons: [{ rule: 'too_few_post_samples', metric: null, value: 3, limit: 5, verdict: 'inconclusive', message: 'm' }],
    });
    expect(counts[0]).toMatchObject({ metric: null, value: '3', limit: '5' });
    expect(reasonRows(null)).toEqual([]);
  });
});
