import { MetricValues } from '@seqpulse/contracts';
import { startTestApp, TestApp } from '../../testing/test-app';
import { MAX_COLLECTION_LAG_S, SamplesStore } from './samples.store';
import { Client } from 'pg';

const values: MetricValues = { requests_per_sec: 10, latency_p95: 120, error_rate: 0.01, cpu_usage: 0.5, memory_usage: 0.6 };

describe('SamplesStore (real Postgres)', () => {
  let t: TestApp;
  let store: SamplesStore;
  let projectId: string;

  beforeAll(async () => {
    t = await startTestApp();
    store = t.app.get(SamplesStore);
    const { token } = await t.signupAndLogin();
    projectId = (await t.call('POST', '/projects', { token, body: { name: 'P', envs: ['prod'], metrics_endpoint: 'https://8.8.8.8/m' } }))
      .body.id;
  });
  afterAll(() => t.close());

  it('creates missing daily partitions on demand, also across a partition boundary', async () => {
    const beforeMidnight = new Date('2026-03-01T23:59:59Z');
    const afterMidnight = new Date('2026-03-02T00:00:00Z');
    const stored = await store.insertBatch([
      { projectId, env: 'prod', slotAt: beforeMidnight, collectedAt: beforeMidnight, values },
      { projectId, env: 'prod', slotAt: afterMidnight, collectedAt: afterMidnight, values },
    ]);
    expect(stored).toBe(2);
    const { rows } = await t.db.query(`SELECT tableoid::regclass::text AS part FROM samples WHERE project_id = $1 ORDER BY slot_at`, [
      projectId,
    ]);
    expect(rows.map((r) => r.part)).toEqual(['samples_20260301', 'samples_20260302']);
  });

  it('stores a batch with other statements in one transaction (the collector’s flush), a missing partition included', async () => {
    const slot = new Date('2026-04-07T08:00:00Z'); // a day without its partition yet
    const noted = (label: string) => ({ sql: `INSERT INTO flush_probe (label) VALUES ($1)`, params: [label] });
    await t.db.query(`CREATE TABLE flush_probe (label text)`);
    const announced: string[] = [];
    const unlisten = store.onStored((batch) => announced.push(...batch.map((s) => s.env)));
    try {
      expect(await store.insertBatchWith([{ projectId, env: 'prod', slotAt: slot, collectedAt: slot, values }], [noted('first')])).toBe(1);
      expect(announced).toEqual(['prod']);
      // a failing statement alongside undoes the samples written in the same round trip
      const later = new Date(slot.getTime() + 15_000);
      await expect(
        store.insertBatchWith(
          [{ projectId, env: 'prod', slotAt: later, collectedAt: later, values }],
          [{ sql: 'SELECT 1 / $1::int', params: [0] }],
        ),
      ).rejects.toThrow(/division by zero/);
      expect(announced).toEqual(['prod']);
      const { rows } = await t.db.query(`SELECT slot_at FROM samples WHERE project_id = $1 AND slot_at >= $2 ORDER BY slot_at`, [
        projectId,
        slot,
      ]);
      expect(rows.map((r) => new Date(r.slot_at).getTime())).toEqual([slot.getTime()]);
      expect((await t.db.query(`SELECT label FROM flush_probe`)).rows).toEqual([{ label: 'first' }]);
    } finally {
      unlisten();
      await t.db.query(`DROP TABLE flush_probe`);
    }
  });

  it('ignores a repeated write of the same slot and keeps the first value', async () => {
    const slot = new Date('2026-03-05T10:00:00Z');
    const first = await store.insertBatch([{ projectId, env: 'prod', slotAt: slot, collectedAt: slot, values }]);
    const again = await store.insertBatch([
      { projectId, env: 'prod', slotAt: slot, collectedAt: new Date(slot.getTime() + 1000), values: { ...values, cpu_usage: 0.99 } },
    ]);
    expect(first).toBe(1);
    expect(again).toBe(0);
    const { rows } = await t.db.query(`SELECT cpu_usage FROM samples WHERE project_id = $1 AND slot_at = $2`, [projectId, slot]);
    expect(rows).toEqual([{ cpu_usage: 0.5 }]);
  });

  it('labels a sample post inside the observation window after a finished deployment, pre otherwise', async () => {
    const finished = new Date('2026-03-06T12:00:00Z');
    await t.db.query(`INSERT INTO deployments (project_id, env, started_at, finished_at, result) VALUES ($1, 'prod', $2, $3, 'success')`, [
      projectId,
      new Date(finished.getTime() - 60_000),
      finished,
    ]);
    const at = (offsetMin: number) => new Date(finished.getTime() + offsetMin * 60_000);
    const stored = await store.insertBatch(
      [-1, 0, 10, 29.9, 30, 45].map((m) => ({ projectId, env: 'prod', slotAt: at(m), collectedAt: at(m), values })),
    );
    expect(stored).toBe(6);
    const { rows } = await t.db.query(
      `SELECT phase FROM samples WHERE project_id = $1 AND slot_at >= $2 AND slot_at <= $3 ORDER BY slot_at`,
      [projectId, at(-1), at(45)],
    );
    expect(rows.map((r) => r.phase)).toEqual(['pre', 'post', 'post', 'post', 'pre', 'pre']);
  });

  it('labels by the newest finished deployment: a second one extends the window, one still running does not end it', async () => {
    const first = new Date('2026-03-07T12:00:00Z');
    const at = (offsetMin: number) => new Date(first.getTime() + offsetMin * 60_000);
    // finished at 0 and at +20 (window 30 min each: post until +50), a third started at +40 and still running
    await t.db.query(
      `INSERT INTO deployments (project_id, env, started_at, finished_at, result) VALUES
         ($1, 'prod', $2, $3, 'success'), ($1, 'prod', $4, $5, 'success'), ($1, 'prod', $6, NULL, NULL)`,
      [projectId, at(-1), at(0), at(19), at(20), at(40)],
    );
    await store.insertBatch([5, 35, 45, 49.9, 50, 60].map((m) => ({ projectId, env: 'prod', slotAt: at(m), collectedAt: at(m), values })));
    const { rows } = await t.db.query(
      `SELECT phase FROM samples WHERE project_id = $1 AND env = 'prod' AND slot_at >= $2 AND slot_at <= $3 ORDER BY slot_at`,
      [projectId, at(5), at(60)],
    );
    expect(rows.map((r) => r.phase)).toEqual(['post', 'post', 'post', 'post', 'pre', 'pre']);
  });

  it('a history backfill labels the phase as the live insert does, per env, in one statement; stores each slot once; announces nothing', async () => {
    const first = new Date('2026-03-10T12:00:00Z');
    const at = (offsetMin: number) => new Date(first.getTime() + offsetMin * 60_000);
    // prod: finished at -25, 0 and +20 (30-min windows: post over [-25, +50)), one started at +40 still running;
    // staging: none
    await t.db.query(
      `INSERT INTO deployments (project_id, env, started_at, finished_at, result) VALUES
         ($1, 'prod', $2, $3, 'success'), ($1, 'prod', $4, $5, 'success'), ($1, 'prod', $6, $7, 'success'), ($1, 'prod', $8, NULL, NULL)`,
      [projectId, at(-26), at(-25), at(-1), at(0), at(19), at(20), at(40)],
    );
    const offsets = [-30, -1, 5, 35, 45, 49.9, 50, 60];
    const batch = ['prod', 'staging'].flatMap((env) => offsets.map((m) => ({ projectId, env, slotAt: at(m), collectedAt: at(m), values })));
    const listening = await listenSamples();
    expect(await store.backfillHistory(batch)).toBe(16);
    expect(await store.backfillHistory(batch)).toBe(0);
    expect(await listening.stop()).toEqual([]);
    const phases = async (env: string) =>
      (
        await t.db.query(
          `SELECT phase FROM samples WHERE project_id = $1 AND env = $2 AND slot_at >= $3 AND slot_at <= $4 ORDER BY slot_at`,
          [projectId, env, at(-30), at(60)],
        )
      ).rows.map((r) => r.phase);
    const backfilled = await phases('prod');
    expect(backfilled).toEqual(['pre', 'post', 'post', 'post', 'post', 'post', 'pre', 'pre']);
    expect(await phases('staging')).toEqual(Array(8).fill('pre'));
    // the live path gives the same labels for the same instants (collected 7.5 s after other slots: new rows)
    await store.insertBatch(
      offsets.map((m) => ({ projectId, env: 'prod', slotAt: at(m - 0.125), collectedAt: at(m), values })),
      {
        announce: false,
      },
    );
    const { rows } = await t.db.query(
      `SELECT phase FROM samples WHERE project_id = $1 AND env = 'prod' AND slot_at <> collected_at AND slot_at >= $2 AND slot_at <= $3 ORDER BY slot_at`,
      [projectId, at(-31), at(60)],
    );
    expect(rows.map((r) => r.phase)).toEqual(backfilled);
  });

  /** Collects the payloads announced on seqpulse_samples until `stop()` (which waits for stragglers first). */
  async function listenSamples(): Promise<{ payloads: string[]; stop: () => Promise<string[]> }> {
    const listener = new Client({ connectionString: t.config.DATABASE_URL });
    await listener.connect();
    const payloads: string[] = [];
    listener.on('notification', (n) => payloads.push(n.payload ?? ''));
    await listener.query('LISTEN seqpulse_samples');
    return {
      payloads,
      stop: async () => {
        await new Promise((r) => setTimeout(r, 300));
        await listener.end();
        return payloads;
      },
    };
  }

  it('announces new samples on the seqpulse_samples channel', async () => {
    const listening = await listenSamples();
    const slot = new Date('2026-03-07T08:00:15Z');
    await store.insertBatch([{ projectId, env: 'prod', slotAt: slot, collectedAt: slot, values }]);
    const received = await listening.stop();
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0])).toEqual([[projectId, 'prod', 'pre', slot.getTime(), 10, 120, 0.01, 0.5, 0.6]]);
  });

  it('stores and announces a large batch completely (split over two statements), under the 8,000-byte payload limit, new rows only', async () => {
    const listening = await listenSamples();
    const base = Date.UTC(2026, 2, 8, 0, 0, 0);
    // long, exact float8 texts make the notices as large as they get
    const odd = {
      requests_per_sec: 1234567.0123456789,
      latency_p95: 98765.43210987654,
      error_rate: 0.12345678901234568,
      cpu_usage: 0.9876543210987654,
      memory_usage: 0.3333333333333333,
    };
    const batch = Array.from({ length: 2_500 }, (_, i) => ({
      projectId,
      env: 'prod',
      slotAt: new Date(base + i * 15_000),
      collectedAt: new Date(base + i * 15_000 + 1_234),
      values: odd,
    }));
    expect(await store.insertBatch(batch.slice(0, 100))).toBe(100);
    const announced = () => listening.payloads.flatMap((p) => JSON.parse(p)).length;
    for (let i = 0; i < 50 && announced() < 100; i++) await new Promise((r) => setTimeout(r, 20));
    expect(announced()).toBe(100);
    listening.payloads.length = 0; // those 100 are stored already: not announced again
    expect(await store.insertBatch(batch)).toBe(2_400);
    const payloads = await listening.stop();
    for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThan(8000);
    const notices = payloads.flatMap((p) => JSON.parse(p));
    const byTime = (a: number, b: number) => a - b;
    expect(notices.map((n: unknown[]) => n[3]).sort(byTime)).toEqual(batch.slice(100).map((s) => s.collectedAt.getTime()));
    expect(notices[0].slice(4)).toEqual(Object.values(odd));
    const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM samples WHERE project_id = $1 AND slot_at >= $2 AND slot_at < $3`, [
      projectId,
      new Date(base),
      new Date(base + 2_500 * 15_000),
    ]);
    expect(rows[0].n).toBe(2_500);
  });

  it('refuses a sample collected too long after its slot (range reads could not find it) and keeps the rest of the batch', async () => {
    const slot = new Date('2026-03-09T10:00:00Z');
    const late = {
      projectId,
      env: 'prod',
      slotAt: new Date(slot.getTime() + 15_000),
      collectedAt: new Date(slot.getTime() + 15_000 + MAX_COLLECTION_LAG_S * 1000),
      values,
    };
    const early = {
      projectId,
      env: 'prod',
      slotAt: new Date(slot.getTime() + 30_000),
      collectedAt: new Date(slot.getTime() + 29_000),
      values,
    };
    expect(
      await store.insertBatch([
        { projectId, env: 'prod', slotAt: slot, collectedAt: new Date(slot.getTime() + 39_000), values },
        late,
        early,
      ]),
    ).toBe(1);
    const { rows } = await t.db.query(`SELECT slot_at FROM samples WHERE project_id = $1 AND slot_at >= $2 AND slot_at < $3`, [
      projectId,
      slot,
      new Date(slot.getTime() + 60_000),
    ]);
    expect(rows.map((r) => r.slot_at.getTime())).toEqual([slot.getTime()]);
  });

  it('drops partitions older than the retention, keeps the rest', async () => {
    await store.ensurePartitions(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-03T00:00:00Z'));
    const dropped = await store.dropExpired(30, new Date('2026-02-02T12:00:00Z'));
    expect(dropped.sort()).toEqual(['samples_20260101', 'samples_20260102']);
    const { rows } = await t.db.query(`SELECT to_regclass('samples_20260103') AS kept`);
    expect(rows[0].kept).toBe('samples_20260103');
  });
});
