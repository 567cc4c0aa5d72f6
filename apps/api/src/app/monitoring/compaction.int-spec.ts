import { startTestApp, TestApp } from '../../testing/test-app';
import { Fixture, insertSamples, monitoringFixture, MONITORING_FIXTURE_ENV } from '../../testing/monitoring-fixture';
import { RollupMaintenance } from '../samples/rollup-maintenance';
import { SamplesCompaction } from '../samples/samples-compaction';
import { SamplesStore } from '../samples/samples.store';

const DAY = '2026-06-10';
const START = Date.parse(`${DAY}T00:00:00Z`);
/** A day and ten minutes of the next one, every 15 s, with gaps; `post` 10:00–11:00 in prod. */
const END = START + 86_400_000 + 10 * 60_000;
/** Two passes after the next day closed (+2 h settle). */
const COMPACT_AT = new Date(START + 2 * 86_400_000 + 3 * 3_600_000);

/** Values at exporter precision (2 decimals for rates, 1 for milliseconds, 4 for ratios), deterministic. */
function dataset(env: string, seed: number) {
  let x = seed;
  const next = () => (x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const rows: { env: string; phase: 'pre' | 'post'; at: number; lagS: number; values: Record<string, number> }[] = [];
  for (let slot = START, k = 0; slot < END; slot += 15_000, k++) {
    if (k % 97 === 13 || (k > 2_000 && k < 2_010)) continue; // missing polls: null buckets
    const post = env === 'prod' && slot >= START + 10 * 3_600_000 && slot < START + 11 * 3_600_000;
    const lag = 1_000 + Math.floor(next() * 4) * 1_000;
    rows.push({
      env,
      phase: post ? ('post' as const) : ('pre' as const),
      at: slot + lag,
      lagS: lag / 1_000,
      values: {
        requests_per_sec: Math.round(next() * 50_000) / 100,
        latency_p95: Math.round(next() * 8_000) / 10,
        error_rate: Math.round(next() * 10_000) / 10_000,
        cpu_usage: Math.round(next() * 1_000) / 1_000,
        memory_usage: Math.round(next() * 10_000) / 10_000,
      },
    });
  }
  return rows;
}

/**
 * The same answer, where a bucket recomputed after a late sample may differ in the last bit of a float sum (its
 * rows are summed in another order, as any recomputation of a rollup may); nulls, times and counts exactly.
 */
function expectSameAnswers(actual: unknown, expected: unknown, path = ''): void {
  const differ = () => expect({ [path]: actual }).toEqual({ [path]: expected });
  if (typeof expected === 'number' && typeof actual === 'number' && !Number.isInteger(expected)) {
    if (Math.abs(actual - expected) > 1e-12 * Math.max(1, Math.abs(expected))) differ();
  } else if (expected instanceof Date) {
    if (!(actual instanceof Date) || actual.getTime() !== expected.getTime()) differ();
  } else if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Object.keys(actual).join() !== Object.keys(expected).join()) return differ();
    for (const [k, v] of Object.entries(expected)) expectSameAnswers((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
  } else if (actual !== expected) {
    differ();
  }
}

describe('compaction of closed days', () => {
  let t: TestApp;
  let f: Fixture;
  let compaction: SamplesCompaction;
  let before: unknown[];

  beforeAll(async () => {
    t = await startTestApp({ ...MONITORING_FIXTURE_ENV, SEQPULSE_RETENTION_RAW_DAYS: '30', SEQPULSE_RETENTION_1M_DAYS: '40' });
    f = await monitoringFixture(t);
    compaction = t.app.get(SamplesCompaction);
    await insertSamples(t, f.enterprise, [...dataset('prod', 7), ...dataset('staging', 11)]);
    await t.app.get(RollupMaintenance).catchUp('0 seconds');
    before = await answers();
  }, 120_000);
  afterAll(() => t.close());

  const get = async (params: Record<string, string>) => {
    const res = await t.call('GET', `/monitoring/enterprise/timeseries?${new URLSearchParams({ project_id: f.enterprise, ...params })}`, {
      token: f.owner.token,
    });
    expect(res.status).toBe(200);
    return res.body;
  };
  const windows = () =>
    t.app.get(SamplesStore).samplesInWindows(
      ['prod', 'staging'].flatMap((env) => [
        { projectId: f.enterprise, env, from: new Date(`${DAY}T09:30:00Z`), to: new Date(`${DAY}T11:30:00Z`) },
        { projectId: f.enterprise, env, from: new Date(`${DAY}T23:50:00Z`), to: new Date(`${DAY}T23:59:59.999Z`) },
        { projectId: f.enterprise, env, from: new Date(`${DAY}T23:59:00Z`), to: new Date('2026-06-11T00:05:00Z') },
      ]),
    );
  /** Everything a compacted day must answer exactly as before. */
  const answers = async () => [
    await get({ from: `${DAY}T00:00:00Z`, to: `${DAY}T23:59:59Z`, step: '60s' }),
    await get({ from: `${DAY}T08:15:00Z`, to: `${DAY}T08:45:00Z`, step: '15s' }),
    await get({ from: `${DAY}T23:50:00Z`, to: '2026-06-11T00:09:00Z', step: '30s', env: 'staging' }),
    await get({ from: `${DAY}T00:00:00Z`, to: '2026-06-11T00:10:00Z', step: '15m' }),
    await get({ from: '2026-06-09T00:00:00Z', to: '2026-06-12T00:00:00Z', step: '1h' }),
    await get({ from: `${DAY}T09:00:00Z`, to: `${DAY}T12:00:00Z`, step: '60s', phase: 'post' }),
    await get({ from: `${DAY}T09:00:00Z`, to: `${DAY}T12:00:00Z`, step: '15s', phase: 'pre' }),
    await windows(),
    await t.app.get(SamplesStore).latestPerEnv(['prod', 'staging'].map((env) => ({ projectId: f.enterprise, env }))),
  ];
  const liveRows = async () =>
    (
      await t.db.query(
        `SELECT (SELECT count(*) FROM samples WHERE project_id = $1)::int AS raw,
                (SELECT count(*) FROM samples_1m WHERE project_id = $1)::int AS minute,
                (SELECT count(*) FROM samples_15m WHERE project_id = $1)::int AS quarter,
                (SELECT count(*) FROM samples_archive WHERE project_id = $1)::int AS archived`,
        [f.enterprise],
      )
    ).rows[0];

  it('answers exactly as before once the days are archived (raw, 1 m, 15 m), and frees the live tables', async () => {
    const dayBefore = await get({ from: `${DAY}T00:00:00Z`, to: `${DAY}T23:59:59Z`, step: '60s' });
    expect(dayBefore.series.requests_per_sec.filter((p: { v: number | null }) => p.v === null).length).toBeGreaterThan(0);
    // a day that has not closed + settled yet stays live
    expect(await compaction.compact(new Date(START + 86_400_000 + 3_600_000))).toEqual({ samples: 0, samples_1m: 0, samples_15m: 0 });
    const moved = await compaction.compact(COMPACT_AT);
    expect(moved.samples).toBe(dataset('prod', 7).length + dataset('staging', 11).length);
    expect(moved.samples_1m).toBeGreaterThan(2 * 1_440);
    expect(moved.samples_15m).toBeGreaterThan(2 * 96);
    expect(await liveRows()).toEqual({ raw: 0, minute: 0, quarter: 0, archived: 50 }); // 2 envs × 25 hours
    const [{ bytes }] = (await t.db.query(`SELECT pg_relation_size('samples_20260610') AS bytes`)).rows;
    expect(Number(bytes)).toBe(0); // truncated: no dead rows left for a vacuum
    expect(await answers()).toEqual(before);
    expect(await compaction.compact(COMPACT_AT)).toEqual({ samples: 0, samples_1m: 0, samples_15m: 0 });
  });

  it('stores and serves a late sample of a compacted day at once, and merges it at the next pass', async () => {
    const minute = `${DAY}T00:03:00Z`; // slot k = 13 of the day is a gap: 00:03:15
    const raw15 = async () =>
      (await get({ from: minute, to: `${DAY}T00:03:59Z`, step: '15s' })).series.latency_p95.map((p: { v: unknown }) => p.v);
    const mean60 = async () => (await get({ from: minute, to: `${DAY}T00:03:59Z`, step: '60s' })).series.requests_per_sec[0].v;
    const old15 = await raw15();
    expect(old15[1]).toBeNull();
    const oldMean = await mean60();
    await insertSamples(t, f.enterprise, [
      { at: Date.parse(`${DAY}T00:03:16Z`), lagS: 1, values: { requests_per_sec: 1_000, latency_p95: 123.4 } },
    ]);
    expect(await raw15()).toEqual([old15[0], 123.4, old15[2], old15[3]]);
    await t.app.get(RollupMaintenance).catchUp('0 seconds');
    const n = old15.filter((v: unknown) => v !== null).length;
    const expected = (oldMean * n + 1_000) / (n + 1);
    expect(await mean60()).toBeCloseTo(expected, 9);
    const served = await answers();
    expect(served).not.toEqual(before);
    const moved = await compaction.compact(COMPACT_AT);
    expect(moved).toEqual({ samples: 1, samples_1m: 2, samples_15m: 2 }); // the minute and quarter of both envs were recomputed
    expect(await liveRows()).toEqual({ raw: 0, minute: 0, quarter: 0, archived: 50 });
    expect(await answers()).toEqual(served);
    before = served;
  });

  it('drops a sample re-sent for an archived slot at the merge, and recomputes its minute', async () => {
    const [{ slot_at, collected_at }] = (
      await t.db.query(
        `SELECT s.slot_at, s.collected_at FROM (SELECT a.period_start + a.slot_ms[100] * interval '1 millisecond' AS slot_at,
                a.period_start + (a.slot_ms[100] + a.lag_ms[100]) * interval '1 millisecond' AS collected_at
           FROM samples_archive a WHERE a.project_id = $1 AND a.env = 'prod' AND a.period_start = $2) s`,
        [f.enterprise, `${DAY}T00:00:00Z`],
      )
    ).rows;
    await insertSamples(t, f.enterprise, [
      {
        at: (collected_at as Date).getTime(),
        lagS: ((collected_at as Date).getTime() - (slot_at as Date).getTime()) / 1_000,
        values: { requests_per_sec: 9_999 },
      },
    ]);
    await compaction.compact(COMPACT_AT);
    await t.app.get(RollupMaintenance).catchUp('0 seconds');
    await compaction.compact(COMPACT_AT);
    expect(await liveRows()).toEqual({ raw: 0, minute: 0, quarter: 0, archived: 50 });
    expectSameAnswers(await answers(), before);
  });

  it('loses nothing when a compaction is killed in the middle, and the next pass resumes', async () => {
    await insertSamples(
      t,
      f.enterprise,
      [
        { at: Date.parse(`${DAY}T05:00:02Z`), env: 'prod', values: { requests_per_sec: 1 } },
        { at: Date.parse(`${DAY}T05:00:02Z`), env: 'staging', values: { requests_per_sec: 2 } },
      ].map((s) => ({ ...s, at: s.at + 7_500 })),
    ); // slots between the grid's: new samples
    await t.app.get(RollupMaintenance).catchUp('0 seconds');
    const expected = await answers();
    // the archive write of the staging batch hangs; its backend is then killed, as a crash would
    await t.db.query(`
      CREATE FUNCTION test_stall() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(60); RETURN NEW; END $$;
      CREATE TRIGGER test_stall BEFORE UPDATE ON samples_archive FOR EACH ROW WHEN (NEW.env = 'staging') EXECUTE FUNCTION test_stall();`);
    try {
      const run = compaction.compact(COMPACT_AT, 1);
      run.catch(() => undefined);
      let pid: number | undefined;
      for (let i = 0; i < 200 && !pid; i++) {
        await new Promise((r) => setTimeout(r, 50));
        pid = (await t.db.query(`SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%samples_archive%'`)).rows[0]
          ?.pid;
      }
      expect(pid).toBeDefined();
      await t.db.query(`SELECT pg_terminate_backend($1)`, [pid]);
      await expect(run).rejects.toThrow();
      const live = await liveRows();
      expect(live.raw).toBeGreaterThanOrEqual(1); // staging's sample is still live (prod's batch may have committed first)
      expectSameAnswers(await answers(), expected);
    } finally {
      await t.db.query(`DROP TRIGGER test_stall ON samples_archive; DROP FUNCTION test_stall()`);
    }
    await compaction.compact(COMPACT_AT, 1);
    expect(await liveRows()).toEqual({ raw: 0, minute: 0, quarter: 0, archived: 50 });
    expectSameAnswers(await answers(), expected);
    before = expected;
  });

  it('drops each tier on time: raw after its days, then the 1-minute tier, then the 15-minute tier', async () => {
    const tiers = async () =>
      (
        await t.db.query(
          `SELECT (SELECT count(*) FROM samples_archive WHERE project_id = $1)::int AS raw,
                  (SELECT count(*) FROM samples_1m_archive WHERE project_id = $1)::int AS minute,
                  (SELECT count(*) FROM samples_15m_archive WHERE project_id = $1)::int AS quarter`,
          [f.enterprise],
        )
      ).rows[0];
    const afterDays = (days: number) => new Date(Date.parse('2026-06-11T12:00:00Z') + days * 86_400_000);
    const hourly = () => get({ from: `${DAY}T00:00:00Z`, to: `${DAY}T23:59:59Z`, step: '1h' });
    const hours = await hourly();
    expect(await tiers()).toEqual({ raw: 50, minute: 4, quarter: 4 }); // raw: one row per hour
    await compaction.pruneArchives(afterDays(30)); // raw: 30 days → June 10th's hours go, the 11th's stay
    expect(await tiers()).toEqual({ raw: 2, minute: 4, quarter: 4 });
    expect((await get({ from: `${DAY}T00:00:00Z`, to: `${DAY}T23:59:59Z`, step: '60s' })).series).toEqual(
      before[0] && (before[0] as { series: unknown }).series,
    );
    await compaction.pruneArchives(afterDays(31));
    expect(await tiers()).toEqual({ raw: 0, minute: 4, quarter: 4 });
    await compaction.pruneArchives(afterDays(40)); // 1 m: 40 days
    expect(await tiers()).toEqual({ raw: 0, minute: 2, quarter: 4 });
    expect(await hourly()).toEqual(hours); // the 15-minute tier (default 400 days) still answers hours
    await compaction.pruneArchives(afterDays(400));
    expect(await tiers()).toEqual({ raw: 0, minute: 0, quarter: 2 });
    await compaction.pruneArchives(afterDays(401));
    expect(await tiers()).toEqual({ raw: 0, minute: 0, quarter: 0 });
  });
});
