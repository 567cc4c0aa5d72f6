import { SchedulerRegistry } from '@nestjs/schedule';
import { Client } from 'pg';
import { startTestApp, TestApp } from '../testing/test-app';
import { Fixture, insertSamples, monitoringFixture, MONITORING_FIXTURE_ENV } from '../testing/monitoring-fixture';
import { waitFor } from '../testing/fleet';
import { POSTGRES_BIN, startStreamingPair, StreamingPair, streamingReplicationAvailable } from '../testing/streaming-replica';
import { OperationalMetrics } from '../app/operational-metrics/operational-metrics';
import { ReplicaReads } from '../app/read-replica/replica-reads';
import { AccessRecordsService } from '../app/monitoring/access-records.service';

/**
 * DATABASE_READ_URL on a real streaming replica (Debian's Postgres 15, pg_basebackup -R): reads of ranges the
 * replica has replayed go there, reads of what it has not replayed yet go to the primary, a failing replica is
 * answered by the primary.
 */
describe('reads from a streaming replica (DATABASE_READ_URL)', () => {
  let pair: StreamingPair;
  let t: TestApp;
  let f: Fixture;
  /** When the first test's time-series read was recorded in the access records. */
  let firstReadAt = 0;
  const database = 'seqpulse_replica_test';

  const reads = async () => {
    const metric = t.app.get(OperationalMetrics).registry.getSingleMetric('seqpulse_db_reads_total');
    const { values } = await (metric as { get(): Promise<{ values: { value: number; labels: Record<string, string> }[] }> }).get();
    // prom-client hands out its live objects: copy the figures of this moment
    const counts = new Map(values.map((v) => [`${v.labels.route} ${v.labels.target}`, v.value]));
    return (route: string, target: string) => counts.get(`${route} ${target}`) ?? 0;
  };
  const onReplica = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: pair.replicaUrl(database) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  /** Until a freshness check has seen the replica replay everything written so far. */
  const replayed = async () => {
    const since = Date.now();
    await waitFor('the replica to replay', async () => {
      await t.app.get(ReplicaReads).check();
      const lag = await (t.app.get(OperationalMetrics).registry.getSingleMetric('seqpulse_db_replica_lag_seconds') as any).get();
      const seconds = lag.values[0]?.value;
      return seconds !== undefined && Date.now() - seconds * 1000 > since;
    });
  };
  const timeseries = (from: number, to: number) =>
    t.call(
      'GET',
      `/monitoring/enterprise/timeseries?project_id=${f.enterprise}&env=prod&step=15s&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`,
      { token: f.owner.token },
    );
  const points = (body: { series: { error_rate: { v: number | null }[] } }) =>
    body.series.error_rate.filter((p) => p.v !== null).map((p) => p.v);

  beforeAll(async () => {
    if (!streamingReplicationAvailable()) throw new Error(`${POSTGRES_BIN} missing: apt-get install postgresql-15 (.ci/run installs it)`);
    pair = await startStreamingPair();
    const admin = new Client({ connectionString: pair.primaryUrl('postgres') });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    await admin.end();
    t = await startTestApp(
      { ...MONITORING_FIXTURE_ENV, DATABASE_READ_URL: pair.replicaUrl(database) },
      { databaseUrl: pair.primaryUrl(database) },
    );
    f = await monitoringFixture(t);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await pair?.stop();
  });

  it('reads a range the replica has replayed from the replica, with the primary’s answer', async () => {
    const base = Date.now() - 10 * 60_000;
    await insertSamples(
      t,
      f.enterprise,
      [0, 1, 2, 3].map((i) => ({ at: base + i * 15_000 + 1_000, values: { error_rate: 0.01 * (i + 1) } })),
    );
    await replayed();
    const before = await reads();
    const res = await timeseries(base, base + 5 * 60_000);
    firstReadAt = Date.now();
    expect(res.status).toBe(200);
    expect(points(res.body)).toEqual([0.01, 0.02, 0.03, 0.04]);
    const after = await reads();
    expect(after('timeseries', 'replica')).toBe(before('timeseries', 'replica') + 1);
    expect(after('timeseries', 'primary')).toBe(before('timeseries', 'primary'));
  });

  it('reads what the replica has not replayed yet from the primary, so a live chart never goes back in time', async () => {
    await onReplica(`SELECT pg_wal_replay_pause()`);
    try {
      const at = Date.now();
      await insertSamples(t, f.enterprise, [{ at, values: { error_rate: 0.5 } }]);
      await t.app.get(ReplicaReads).check();
      // the replica does not have the sample …
      expect(await onReplica(`SELECT 1 FROM samples WHERE project_id = $1 AND error_rate = 0.5`, [f.enterprise])).toEqual([]);
      // … and the range that holds it is read from the primary, with it
      const before = await reads();
      const res = await timeseries(at - 60_000, at + 1_000);
      expect(res.status).toBe(200);
      expect(points(res.body)).toContain(0.5);
      const after = await reads();
      expect(after('timeseries', 'primary')).toBe(before('timeseries', 'primary') + 1);
      expect(after('timeseries', 'replica')).toBe(before('timeseries', 'replica'));
      // an older range is still served by the paused replica, whose lag shows on /metrics
      const old = await timeseries(at - 10 * 60_000 - 60_000, at - 5 * 60_000);
      expect(points(old.body)).toEqual([0.01, 0.02, 0.03, 0.04]);
      expect((await reads())('timeseries', 'replica')).toBe(after('timeseries', 'replica') + 1);
      await new Promise((r) => setTimeout(r, 1_100));
      await t.app.get(ReplicaReads).check();
      const metrics = await t.call('GET', '/metrics', { token: f.admin });
      const lag = Number(/^seqpulse_db_replica_lag_seconds (\S+)$/m.exec(metrics.text)?.[1]);
      expect(lag).toBeGreaterThan(1);
    } finally {
      await onReplica(`SELECT pg_wal_replay_resume()`);
    }
  });

  it('reads an audit range that ended in the past from the replica, and the open-ended one from the primary', async () => {
    await t.app.get(AccessRecordsService).flush();
    // the range up to the first test's read is complete once its write margin (10 s) has passed and been replayed
    const to = firstReadAt + 1_000;
    await new Promise((r) => setTimeout(r, Math.max(0, to + 11_000 - Date.now())));
    await replayed();
    const before = await reads();
    const past = await t.call('GET', `/admin/audit?project_id=${f.enterprise}&to=${new Date(to).toISOString()}`, { token: f.admin });
    expect(past.status).toBe(200);
    expect(past.body.map((r: { route: string }) => r.route)).toContain('GET /monitoring/enterprise/timeseries');
    const open = await t.call('GET', `/admin/audit?project_id=${f.enterprise}`, { token: f.admin });
    expect(open.status).toBe(200);
    const after = await reads();
    expect(after('audit', 'replica')).toBe(before('audit', 'replica') + 1);
    expect(after('audit', 'primary')).toBe(before('audit', 'primary') + 1);
  });

  it('answers from the primary when the replica fails', async () => {
    // The checks stop here, so the failure is found by the read itself, not by a check that happens to come first.
    t.app.get(SchedulerRegistry).deleteInterval('replica-freshness');
    await replayed();
    await pair.stopReplica();
    const base = Date.now() - 10 * 60_000;
    const before = await reads();
    const res = await timeseries(base - 60_000, base + 5 * 60_000);
    expect(res.status).toBe(200);
    expect(points(res.body)).toEqual([0.01, 0.02, 0.03, 0.04]);
    const after = await reads();
    expect(after('timeseries', 'primary_after_replica_error')).toBe(before('timeseries', 'primary_after_replica_error') + 1);
    // the failed read took the replica out until a check succeeds: the next read goes straight to the primary
    await timeseries(base - 60_000, base + 5 * 60_000);
    expect((await reads())('timeseries', 'primary')).toBe(after('timeseries', 'primary') + 1);
  });
});
