import { startTestApp, TestApp } from '../../testing/test-app';
import { Fixture, insertSamples, monitoringFixture, MONITORING_FIXTURE_ENV } from '../../testing/monitoring-fixture';
import { RollupMaintenance } from '../samples/rollup-maintenance';

describe('the samples_1m rollup', () => {
  let t: TestApp;
  let f: Fixture;

  beforeAll(async () => {
    // the former single setting (now the raw tier's), and each rollup tier's own retention
    t = await startTestApp({
      ...MONITORING_FIXTURE_ENV,
      SEQPULSE_RETENTION_DAYS: '30',
      SEQPULSE_RETENTION_1M_DAYS: '30',
      SEQPULSE_RETENTION_15M_DAYS: '31',
    });
    f = await monitoringFixture(t);
  });
  afterAll(() => t.close());

  const rollupRows = async () =>
    (
      await t.db.query(
        `SELECT to_char(bucket AT TIME ZONE 'UTC', 'MM-DD HH24:MI') AS b, phase, n, requests_per_sec_sum AS s, latency_p95_max AS m
           FROM samples_1m WHERE project_id = $1 ORDER BY bucket, phase`,
        [f.enterprise],
      )
    ).rows;
  const get = (params: Record<string, string>) =>
    t.call('GET', `/monitoring/enterprise/timeseries?${new URLSearchParams({ project_id: f.enterprise, ...params })}`, {
      token: f.owner.token,
    });

  it('marks inserted minutes pending; the catch-up computes count, sum and max per metric and phase from the raw samples', async () => {
    await insertSamples(t, f.enterprise, [
      { at: '2026-04-01T10:00:01Z', values: { requests_per_sec: 1, latency_p95: 100 } },
      { at: '2026-04-01T10:00:16Z', values: { requests_per_sec: 3, latency_p95: 300 } },
      { at: '2026-04-01T10:00:31Z', phase: 'post', values: { requests_per_sec: 5, latency_p95: 200 } },
      { at: '2026-04-01T10:14:59Z', values: { requests_per_sec: 7, latency_p95: 50 } },
    ]);
    const { rows: pending } = await t.db.query(
      `SELECT DISTINCT to_char(minute AT TIME ZONE 'UTC', 'MM-DD HH24:MI') AS m FROM samples_rollup_pending ORDER BY 1`,
    );
    expect(pending.map((r) => r.m)).toEqual(expect.arrayContaining(['04-01 10:00', '04-01 10:14']));
    // before the catch-up, the route answers from the raw samples of the pending minutes
    const before = await get({ from: '2026-04-01T10:00:00Z', to: '2026-04-01T10:15:00Z', step: '5m' });
    expect(before.body.series.requests_per_sec.map((p: { v: number | null }) => p.v)).toEqual([3, null, 7, null]);
    expect(await t.app.get(RollupMaintenance).catchUp('0 seconds')).toBeGreaterThanOrEqual(2);
    expect(await rollupRows()).toEqual([
      { b: '04-01 10:00', phase: 'post', n: 1, s: 5, m: 200 },
      { b: '04-01 10:00', phase: 'pre', n: 2, s: 4, m: 300 },
      { b: '04-01 10:14', phase: 'pre', n: 1, s: 7, m: 50 },
    ]);
    const { rows: quarter } = await t.db.query(
      `SELECT phase, n, requests_per_sec_sum AS s, latency_p95_max AS m FROM samples_15m WHERE project_id = $1 ORDER BY phase`,
      [f.enterprise],
    );
    expect(quarter).toEqual([
      { phase: 'post', n: 1, s: 5, m: 200 },
      { phase: 'pre', n: 3, s: 11, m: 300 },
    ]);
    const { rows: left } = await t.db.query(`SELECT count(*)::int AS n FROM samples_rollup_pending WHERE minute < '2026-04-02'`);
    expect(left[0].n).toBe(0);
    const after = await get({ from: '2026-04-01T10:00:00Z', to: '2026-04-01T10:15:00Z', step: '5m' });
    expect(after.body).toEqual(before.body);
  });

  it('stays exact when a late sample lands in a minute already rolled up', async () => {
    await insertSamples(t, f.enterprise, [{ at: '2026-04-01T10:00:46Z', values: { requests_per_sec: 11, latency_p95: 900 } }]);
    // the quarter 10:00–10:15 now has a pending minute: read from samples_1m + raw, not from its stale 15 m row
    const hour = await get({ from: '2026-04-01T10:00:00Z', to: '2026-04-01T10:59:59Z', step: '1h' });
    expect(hour.body.series.requests_per_sec[0].v).toBe((1 + 3 + 5 + 7 + 11) / 5);
    expect(hour.body.series.latency_p95[0].v).toBe(900);
    const res = await get({ from: '2026-04-01T10:00:00Z', to: '2026-04-01T10:00:59Z', step: '60s' });
    expect(res.body.series.requests_per_sec[0].v).toBe((1 + 3 + 5 + 11) / 4);
    expect(res.body.series.latency_p95[0].v).toBe(900);
    await t.app.get(RollupMaintenance).catchUp('0 seconds');
    expect((await rollupRows()).filter((r) => r.b === '04-01 10:00')).toEqual([
      { b: '04-01 10:00', phase: 'post', n: 1, s: 5, m: 200 },
      { b: '04-01 10:00', phase: 'pre', n: 3, s: 15, m: 900 },
    ]);
    expect((await get({ from: '2026-04-01T10:00:00Z', to: '2026-04-01T10:00:59Z', step: '60s' })).body).toEqual(res.body);
    const { rows: quarter } = await t.db.query(
      `SELECT sum(n)::int AS n, max(latency_p95_max) AS m FROM samples_15m WHERE project_id = $1 AND bucket = '2026-04-01T10:00:00Z'`,
      [f.enterprise],
    );
    expect(quarter).toEqual([{ n: 5, m: 900 }]);
  });

  it('leaves recent minutes pending until they settle', async () => {
    const now = Date.now();
    await insertSamples(t, f.enterprise, [{ at: now - 5_000 }]);
    await t.app.get(RollupMaintenance).catchUp();
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM samples_rollup_pending WHERE minute >= to_timestamp($1)`, [
      Math.floor((now - 5_000) / 60_000) * 60,
    ]);
    expect(rows[0].n).toBeGreaterThan(0);
    const res = await get({ from: new Date(now - 120_000).toISOString(), to: new Date(now).toISOString(), step: '60s' });
    expect(res.body.series.requests_per_sec.filter((p: { v: number | null }) => p.v !== null)).toHaveLength(1);
  });

  it('are pruned day by day, each tier at its own retention', async () => {
    await insertSamples(t, f.enterprise, [{ at: '2026-04-03T00:00:30Z' }]);
    await t.app.get(RollupMaintenance).catchUp('0 seconds');
    const quarters = async () =>
      (await t.db.query(`SELECT count(*)::int AS n FROM samples_15m WHERE project_id = $1 AND bucket < '2026-04-03'`, [f.enterprise]))
        .rows[0].n;
    // 30 days after 2026-04-02T12:00: the 1-minute cutoff is 2026-04-02T00:00, so April 1st's minutes go; the
    // 15-minute tier (31 days) keeps April 1st's quarters one more day.
    expect(await t.app.get(RollupMaintenance).prune(new Date('2026-05-02T12:00:00Z'))).toBe(3);
    expect((await rollupRows()).filter((r) => r.b.startsWith('04-'))).toEqual([{ b: '04-03 00:00', phase: 'pre', n: 1, s: 10, m: 100 }]);
    expect(await quarters()).toBe(2);
    expect(await t.app.get(RollupMaintenance).prune(new Date('2026-05-03T12:00:00Z'))).toBe(2);
    expect(await quarters()).toBe(0);
    expect(await rollupRows()).toHaveLength(1 + 1); // April 3rd's minute and the recent one
  });
});
