import { startTestApp, TestApp } from '../../testing/test-app';
import { Fixture, insertSamples, monitoringFixture } from './monitoring.test-helpers';
import { RollupMaintenance } from './rollup-maintenance';

describe('rollups (samples_1m, samples_15m)', () => {
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    t = await startTestApp({ SEQPULSE_RETENTION_DAYS: '30' });
    f = await monitoringFixture(t);
  });
  afterAll(() => t.close());

  it('are maintained on insert with count, sum and max per metric, per phase', async () => {
    await insertSamples(t, f.enterprise, [
      { at: '2026-04-01T10:00:01Z', values: { requests_per_sec: 1, latency_p95: 100 } },
      { at: '2026-04-01T10:00:16Z', values: { requests_per_sec: 3, latency_p95: 300 } },
      { at: '2026-04-01T10:00:31Z', phase: 'post', values: { requests_per_sec: 5, latency_p95: 200 } },
      { at: '2026-04-01T10:14:59Z', values: { requests_per_sec: 7, latency_p95: 50 } },
    ]);
    const { rows: minute } = await t.db.query(
      `SELECT to_char(bucket AT TIME ZONE 'UTC', 'HH24:MI') AS b, phase, n, requests_per_sec_sum AS s, latency_p95_max AS m
         FROM samples_1m WHERE project_id = $1 ORDER BY bucket, phase`,
      [f.enterprise],
    );
    expect(minute).toEqual([
      { b: '10:00', phase: 'post', n: 1, s: 5, m: 200 },
      { b: '10:00', phase: 'pre', n: 2, s: 4, m: 300 },
      { b: '10:14', phase: 'pre', n: 1, s: 7, m: 50 },
    ]);
    const { rows: quarter } = await t.db.query(`SELECT phase, n, requests_per_sec_sum AS s FROM samples_15m WHERE project_id = $1 ORDER BY phase`, [f.enterprise]);
    expect(quarter).toEqual([{ phase: 'post', n: 1, s: 5 }, { phase: 'pre', n: 3, s: 11 }]);
  });

  it('are pruned with the raw retention (SEQPULSE_RETENTION_DAYS), day by day', async () => {
    await insertSamples(t, f.enterprise, [{ at: '2026-04-03T00:00:30Z' }]);
    // 30 days after 2026-04-02T12:00: the cutoff is 2026-04-02T00:00, so April 1st goes, April 3rd stays.
    const deleted = await t.app.get(RollupMaintenance).prune(new Date('2026-05-02T12:00:00Z'));
    expect(deleted).toBe(3 + 2);
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM samples_1m WHERE project_id = $1`, [f.enterprise]);
    expect(rows[0].n).toBe(1);
  });
});
