import { MetricValues } from '@seqpulse/contracts';
import { startTestApp, TestApp } from '../../testing/test-app';
import { SamplesStore } from './samples.store';
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
    projectId = (await t.call('POST', '/projects', { token, body: { name: 'P', envs: ['prod'], metrics_endpoint: 'https://8.8.8.8/m' } })).body.id;
  });
  afterAll(() => t.close());

  it('creates missing daily partitions on demand, also across a partition boundary', async () => {
    const beforeMidnight = new Date('2026-03-01T23:59:59Z');
    const afterMidnight = new Date('2026-03-02T00:00:00Z');
    const stored = await store.insertBatch([
      { projectId, env: 'prod', slotAt: beforeMidnight, collectedAt: beforeMidnight, values },
      { projectId, env: 'prod', slotAt: afterMidnight, collectedAt: afterMidnight, values },
    ]);
    expect(stored).toHaveLength(2);
    const { rows } = await t.db.query(`SELECT tableoid::regclass::text AS part FROM samples WHERE project_id = $1 ORDER BY slot_at`, [projectId]);
    expect(rows.map((r) => r.part)).toEqual(['samples_20260301', 'samples_20260302']);
  });

  it('ignores a repeated write of the same slot and keeps the first value', async () => {
    const slot = new Date('2026-03-05T10:00:00Z');
    const first = await store.insertBatch([{ projectId, env: 'prod', slotAt: slot, collectedAt: slot, values }]);
    const again = await store.insertBatch([{ projectId, env: 'prod', slotAt: slot, collectedAt: new Date(slot.getTime() + 1000), values: { ...values, cpu_usage: 0.99 } }]);
    expect(first).toHaveLength(1);
    expect(again).toHaveLength(0);
    const { rows } = await t.db.query(`SELECT cpu_usage FROM samples WHERE project_id = $1 AND slot_at = $2`, [projectId, slot]);
    expect(rows).toEqual([{ cpu_usage: 0.5 }]);
  });

  it('labels a sample post inside the observation window after a finished deployment, pre otherwise', async () => {
    const finished = new Date('2026-03-06T12:00:00Z');
    await t.db.query(`INSERT INTO deployments (project_id, env, started_at, finished_at, result) VALUES ($1, 'prod', $2, $3, 'success')`, [projectId, new Date(finished.getTime() - 60_000), finished]);
    const at = (offsetMin: number) => new Date(finished.getTime() + offsetMin * 60_000);
    const stored = await store.insertBatch([-1, 0, 10, 29.9, 30, 45].map((m) => ({ projectId, env: 'prod', slotAt: at(m), collectedAt: at(m), values })));
    expect(stored.map((s) => s.phase)).toEqual(['pre', 'post', 'post', 'post', 'pre', 'pre']);
  });

  it('announces new samples on the seqpulse_samples channel', async () => {
    const listener = new Client({ connectionString: t.config.DATABASE_URL });
    await listener.connect();
    const received: string[] = [];
    listener.on('notification', (n) => received.push(n.payload ?? ''));
    await listener.query('LISTEN seqpulse_samples');
    const slot = new Date('2026-03-07T08:00:15Z');
    await store.insertBatch([{ projectId, env: 'prod', slotAt: slot, collectedAt: slot, values }]);
    await new Promise((r) => setTimeout(r, 200));
    await listener.end();
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0])).toEqual([[projectId, 'prod', 'pre', slot.getTime(), 10, 120, 0.01, 0.5, 0.6]]);
  });

  it('drops partitions older than the retention, keeps the rest', async () => {
    await store.ensurePartitions(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-03T00:00:00Z'));
    const dropped = await store.dropExpired(30, new Date('2026-02-02T12:00:00Z'));
    expect(dropped.sort()).toEqual(['samples_20260101', 'samples_20260102']);
    const { rows } = await t.db.query(`SELECT to_regclass('samples_20260103') AS kept`);
    expect(rows[0].kept).toBe('samples_20260103');
  });
});
