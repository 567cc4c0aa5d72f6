import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import { startTestApp, TestApp } from '../../testing/test-app';
import { auditOf, Fixture, insertSamples, monitoringFixture, MONITORING_FIXTURE_ENV } from '../../testing/monitoring-fixture';

const TS = '/monitoring/enterprise/timeseries';
const q = (params: Record<string, string>) => `${TS}?${new URLSearchParams(params).toString()}`;

describe('GET /monitoring/enterprise/timeseries (real Postgres, hand-made samples)', () => {
  let t: TestApp;
  let f: Fixture;
  let get: (params: Record<string, string>) => ReturnType<TestApp['call']>;

  beforeAll(async () => {
    t = await startTestApp(MONITORING_FIXTURE_ENV);
    f = await monitoringFixture(t);
    get = (params) => t.call('GET', q({ project_id: f.enterprise, ...params }), { token: f.owner.token });
  });
  afterAll(() => t.close());

  describe('alignment, aggregation, nulls', () => {
    beforeAll(async () => {
      await insertSamples(t, f.enterprise, [
        // bucket 10:00:00 (15 s): two samples, one exactly on the edge
        {
          at: '2026-03-10T10:00:00.000Z',
          values: { requests_per_sec: 10, latency_p95: 100, error_rate: 0.01, cpu_usage: 0.2, memory_usage: 0.4 },
        },
        {
          at: '2026-03-10T10:00:14.999Z',
          values: { requests_per_sec: 20, latency_p95: 300, error_rate: 0.03, cpu_usage: 0.4, memory_usage: 0.6 },
        },
        // exactly on the next edge: belongs to 10:00:15, not 10:00:00
        {
          at: '2026-03-10T10:00:15.000Z',
          values: { requests_per_sec: 7, latency_p95: 50, error_rate: 0, cpu_usage: 0.1, memory_usage: 0.1 },
        },
        // 10:00:30 stays empty
        {
          at: '2026-03-10T10:00:50.000Z',
          lagS: 39,
          values: { requests_per_sec: 1, latency_p95: 1, error_rate: 0.5, cpu_usage: 1, memory_usage: 1 },
        },
        { at: '2026-03-10T10:01:00.000Z', values: { requests_per_sec: 3, latency_p95: 900, error_rate: 0, cpu_usage: 0, memory_usage: 0 } },
        // another env and outside the range: never counted here
        { at: '2026-03-10T10:00:05.000Z', env: 'staging', values: { requests_per_sec: 999, latency_p95: 999 } },
        { at: '2026-03-10T10:01:15.000Z', values: { requests_per_sec: 555 } },
      ]);
    });

    it('aggregates per epoch-aligned bucket: mean, max for latency_p95, null for empty buckets', async () => {
      const res = await get({ from: '2026-03-10T10:00:00Z', to: '2026-03-10T10:01:00Z', step: '15s' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        project_id: f.enterprise,
        env: 'prod',
        phase: null,
        step: '15s',
        from: '2026-03-10T10:00:00Z',
        to: '2026-03-10T10:01:00Z',
        deployments: [],
      });
      const ts = ['10:00:00', '10:00:15', '10:00:30', '10:00:45', '10:01:00'].map((h) => `2026-03-10T${h}Z`);
      const s = res.body.series;
      expect(Object.keys(s).sort()).toEqual(['cpu_usage', 'error_rate', 'latency_p95', 'memory_usage', 'requests_per_sec']);
      for (const m of Object.keys(s)) expect(s[m].map((p: { t: string }) => p.t)).toEqual(ts);
      expect(s.requests_per_sec.map((p: { v: number }) => p.v)).toEqual([15, 7, null, 1, 3]);
      expect(s.latency_p95.map((p: { v: number }) => p.v)).toEqual([300, 50, null, 1, 900]);
      expect(s.error_rate[0].v).toBeCloseTo(0.02, 12);
      expect(s.cpu_usage[0].v).toBeCloseTo(0.3, 12);
      expect(s.memory_usage[0].v).toBeCloseTo(0.5, 12);
      expect(s.error_rate[2]).toEqual({ t: ts[2], v: null });
      expect(res.text).toContain('"v":null');
    });

    it('with from/to inside buckets, runs from the bucket of `from` to the bucket of `to` (whole buckets)', async () => {
      const res = await get({ from: '2026-03-10T10:00:07Z', to: '2026-03-10T10:00:52Z', step: '15s' });
      expect(res.status).toBe(200);
      expect(res.body.from).toBe('2026-03-10T10:00:07Z');
      expect(res.body.series.requests_per_sec).toEqual([
        { t: '2026-03-10T10:00:00Z', v: 15 },
        { t: '2026-03-10T10:00:15Z', v: 7 },
        { t: '2026-03-10T10:00:30Z', v: null },
        { t: '2026-03-10T10:00:45Z', v: 1 },
      ]);
    });

    it('aggregates coarser steps the same way (60 s, 5 m, 1 h)', async () => {
      const m1 = await get({ from: '2026-03-10T10:00:00Z', to: '2026-03-10T10:02:00Z', step: '60s' });
      expect(m1.body.series.requests_per_sec).toEqual([
        { t: '2026-03-10T10:00:00Z', v: (10 + 20 + 7 + 1) / 4 },
        { t: '2026-03-10T10:01:00Z', v: (3 + 555) / 2 },
        { t: '2026-03-10T10:02:00Z', v: null },
      ]);
      expect(m1.body.series.latency_p95.map((p: { v: number }) => p.v)).toEqual([300, 900, null]);
      const h = await get({ from: '2026-03-10T09:30:00Z', to: '2026-03-10T11:10:00Z', step: '1h' });
      expect(h.body.series.requests_per_sec).toEqual([
        { t: '2026-03-10T09:00:00Z', v: null },
        { t: '2026-03-10T10:00:00Z', v: (10 + 20 + 7 + 1 + 3 + 555) / 6 },
        { t: '2026-03-10T11:00:00Z', v: null },
      ]);
      expect(h.body.series.latency_p95[1].v).toBe(900);
      const m5 = await get({ from: '2026-03-10T10:00:00Z', to: '2026-03-10T10:05:00Z', step: '5m' });
      expect(m5.body.series.cpu_usage.map((p: { v: number }) => p.v)).toEqual([
        expect.closeTo((0.2 + 0.4 + 0.1 + 1 + 0 + 0.5) / 6, 12),
        null,
      ]);
    });

    it('selects the env (default: the first env of the project)', async () => {
      const staging = await get({ from: '2026-03-10T10:00:00Z', to: '2026-03-10T10:00:30Z', step: '15s', env: 'staging' });
      expect(staging.body.env).toBe('staging');
      expect(staging.body.series.requests_per_sec.map((p: { v: number }) => p.v)).toEqual([999, null, null]);
    });

    it('accepts Unix seconds and gives the same answer as ISO-8601', async () => {
      const iso = await get({ from: '2026-03-10T10:00:00Z', to: '2026-03-10T10:01:00Z', step: '15s' });
      const unix = await get({
        from: String(Date.UTC(2026, 2, 10, 10) / 1000),
        to: String(Date.UTC(2026, 2, 10, 10, 1) / 1000),
        step: '15s',
      });
      expect(unix.body).toEqual(iso.body);
    });
  });

  it('filters by phase (pre, post, or both by default)', async () => {
    await insertSamples(t, f.enterprise, [
      { at: '2026-03-11T08:00:01Z', phase: 'pre', values: { requests_per_sec: 10, latency_p95: 100 } },
      { at: '2026-03-11T08:00:31Z', phase: 'post', values: { requests_per_sec: 30, latency_p95: 700 } },
      { at: '2026-03-11T08:00:46Z', phase: 'post', values: { requests_per_sec: 50, latency_p95: 200 } },
    ]);
    const range = { from: '2026-03-11T08:00:00Z', to: '2026-03-11T08:00:59Z', step: '60s' };
    const both = await get(range);
    const pre = await get({ ...range, phase: 'pre' });
    const post = await get({ ...range, phase: 'post' });
    expect(both.body.phase).toBeNull();
    expect(pre.body.phase).toBe('pre');
    expect([both.body.series.requests_per_sec[0].v, both.body.series.latency_p95[0].v]).toEqual([30, 700]);
    expect([pre.body.series.requests_per_sec[0].v, pre.body.series.latency_p95[0].v]).toEqual([10, 100]);
    expect([post.body.series.requests_per_sec[0].v, post.body.series.latency_p95[0].v]).toEqual([40, 700]);
  });

  it('crosses a day partition boundary, including a sample collected after midnight in the previous day’s slot', async () => {
    await insertSamples(t, f.enterprise, [
      { at: '2026-03-12T23:59:50Z', lagS: 2, values: { requests_per_sec: 1 } }, // partition 03-12
      { at: '2026-03-13T00:00:05Z', lagS: 20, values: { requests_per_sec: 2 } }, // slot 23:59:45 → partition 03-12
      { at: '2026-03-13T00:00:40Z', lagS: 5, values: { requests_per_sec: 4 } }, // partition 03-13
    ]);
    const { rows } = await t.db.query(
      `SELECT tableoid::regclass::text AS part FROM samples WHERE project_id = $1 AND collected_at BETWEEN '2026-03-12T23:59:00Z' AND '2026-03-13T00:01:00Z' ORDER BY collected_at`,
      [f.enterprise],
    );
    expect(rows.map((r) => r.part)).toEqual(['samples_20260312', 'samples_20260312', 'samples_20260313']);
    const res = await get({ from: '2026-03-12T23:59:00Z', to: '2026-03-13T00:00:59Z', step: '60s' });
    expect(res.body.series.requests_per_sec).toEqual([
      { t: '2026-03-12T23:59:00Z', v: 1 },
      { t: '2026-03-13T00:00:00Z', v: 3 },
    ]);
    // from exactly at midnight: the sample whose slot is in yesterday's partition still counts
    const after = await get({ from: '2026-03-13T00:00:00Z', to: '2026-03-13T00:00:30Z', step: '30s' });
    expect(after.body.series.requests_per_sec).toEqual([
      { t: '2026-03-13T00:00:00Z', v: 2 },
      { t: '2026-03-13T00:00:30Z', v: 4 },
    ]);
  });

  it('answers the same from the rollups as from the raw samples (steps ≥ 60 s), and counts a repeated write once', async () => {
    const base = Date.UTC(2026, 2, 14, 9, 0, 0);
    const rnd = (i: number) => ((i * 7919) % 1000) / 1000;
    const samples = Array.from({ length: 600 }, (_, i) => ({
      at: base + i * 15_000 + Math.floor(rnd(i) * 14_000),
      phase: (i % 7 === 0 ? 'post' : 'pre') as 'pre' | 'post',
      values: {
        requests_per_sec: 100 * rnd(i),
        latency_p95: 1000 * rnd(i + 1),
        error_rate: rnd(i + 2) / 10,
        cpu_usage: rnd(i + 3),
        memory_usage: rnd(i + 4),
      },
    }));
    await insertSamples(t, f.enterprise, samples);
    // the same slots again through the store: ON CONFLICT DO NOTHING, so the rollups must not move
    const { SamplesStore } = await import('../samples/samples.store');
    const again = await t.app.get(SamplesStore).insertBatch(
      samples.slice(0, 50).map((s) => ({
        projectId: f.enterprise,
        env: 'prod',
        slotAt: new Date(s.at - 3000),
        collectedAt: new Date(s.at),
        values: { requests_per_sec: 1e6, latency_p95: 1e6, error_rate: 1, cpu_usage: 1, memory_usage: 1 },
      })),
    );
    expect(again).toBe(0);
    const { TimeseriesService, buildTimeseriesSql, renderTimeseries } = await import('./timeseries.service');
    const { resolveTimeseriesRequest } = await import('./timeseries.dto');
    expect(await t.app.get(TimeseriesService).rollupsAvailable()).toBe(true);
    const { RollupMaintenance } = await import('../samples/rollup-maintenance');
    // first with the minutes still pending (raw path), then after the catch-up (rollup path)
    for (const stage of ['pending', 'rolled up']) {
      if (stage === 'rolled up') await t.app.get(RollupMaintenance).catchUp('0 seconds');
      for (const [step, phase] of ['60s', '5m', '15m', '1h'].flatMap((st) => [undefined, 'pre', 'post'].map((ph) => [st, ph] as const))) {
        const params = { from: '2026-03-14T08:50:00Z', to: '2026-03-14T11:40:00Z', step, ...(phase ? { phase } : {}) };
        const res = await get(params);
        expect(res.status).toBe(200);
        const query = { project_id: f.enterprise, ...params } as Parameters<typeof resolveTimeseriesRequest>[0];
        const request = resolveTimeseriesRequest(query, ['prod', 'staging'], Date.now());
        const raw = buildTimeseriesSql(f.enterprise, request, null);
        const { rows } = await t.db.query(raw.sql, raw.params);
        const fromRaw = JSON.parse(renderTimeseries(f.enterprise, request, rows[0]));
        for (const m of ['requests_per_sec', 'latency_p95', 'error_rate', 'cpu_usage', 'memory_usage']) {
          const got = res.body.series[m].map((p: { v: number | null }) => p.v);
          const want: (number | null)[] = fromRaw.series[m].map((p: { v: number | null }) => p.v);
          expect(want.filter((v) => v !== null).length).toBeGreaterThanOrEqual(3); // the reference is not empty
          expect(got.map((v: number | null) => v === null)).toEqual(want.map((v) => v === null));
          got.forEach((v: number | null, i: number) => v !== null && expect(v).toBeCloseTo(Number(want[i]), 9));
        }
      }
    }
  });

  it('defaults to the last hour at 15 s with every bucket present (nulls, never omitted)', async () => {
    const before = Date.now();
    const res = await get({});
    expect(res.status).toBe(200);
    expect(res.body.step).toBe('15s');
    const points = res.body.series.cpu_usage;
    expect(points.length).toBeGreaterThanOrEqual(241);
    expect(points.length).toBeLessThanOrEqual(242);
    expect(Date.parse(res.body.to) - Date.parse(res.body.from)).toBe(3600_000);
    expect(Math.abs(Date.parse(res.body.to) - before)).toBeLessThan(5000);
    for (const p of points) expect(p.t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:(00|15|30|45)Z$/);
  });

  it('lists the deployments of the env in the range', async () => {
    const { rows } = await t.db.query(
      `INSERT INTO deployments (project_id, env, started_at, finished_at, result) VALUES
         ($1, 'prod', '2026-03-10T10:00:20Z', '2026-03-10T10:00:40Z', 'success'),
         ($1, 'prod', '2026-03-10T10:00:50Z', NULL, NULL),
         ($1, 'staging', '2026-03-10T10:00:20Z', '2026-03-10T10:00:40Z', 'failed'),
         ($1, 'prod', '2026-03-10T08:00:00Z', '2026-03-10T08:10:00Z', 'failed')
       RETURNING id`,
      [f.enterprise],
    );
    const res = await get({ from: '2026-03-10T10:00:00Z', to: '2026-03-10T10:01:00Z', step: '15s' });
    expect(res.body.deployments).toEqual([
      {
        deployment_id: rows[0].id,
        env: 'prod',
        started_at: '2026-03-10T10:00:20Z',
        finished_at: '2026-03-10T10:00:40Z',
        result: 'success',
      },
      { deployment_id: rows[1].id, env: 'prod', started_at: '2026-03-10T10:00:50Z', finished_at: null, result: null },
    ]);
  });

  it.each([
    ['gzip', 'gzip', gunzipSync],
    ['gzip, deflate, br, zstd', 'br', brotliDecompressSync], // what a browser sends
    ['br;q=0, gzip', 'gzip', gunzipSync],
    ['identity', undefined, (b: Buffer) => b],
  ])('compresses the response (Accept-Encoding: %s → %s)', async (accept, encoding, decode) => {
    const url = new URL(
      `${t.url}${q({ project_id: f.enterprise, from: '2026-03-10T00:00:00Z', to: '2026-03-10T12:00:00Z', step: '60s' })}`,
    );
    const { headers, body } = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      httpRequest(url, { headers: { authorization: `Bearer ${f.owner.token}`, 'accept-encoding': accept } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
        .on('error', reject)
        .end();
    });
    expect(headers['content-encoding']).toBe(encoding);
    expect(headers['vary']).toMatch(/Accept-Encoding/i);
    const json = JSON.parse(decode(body).toString('utf8'));
    expect(json.series.requests_per_sec).toHaveLength(721);
    // compressed: under a fifth of the JSON; identity: the JSON itself
    expect(body.length < JSON.stringify(json).length / 5).toBe(encoding !== undefined);
  });

  describe('bad parameters: 400, never 500', () => {
    const base = { from: '2026-03-10T10:00:00Z', to: '2026-03-10T11:00:00Z' };
    it.each([
      [{ from: 'yesterday' }],
      [{ to: '2026-13-01T00:00:00Z' }],
      [{ from: '2026-02-30T00:00:00Z' }],
      [{ from: '' }],
      [{ to: '1e9' }],
      [{ step: '10s' }],
      [{ step: '' }],
      [{ step: '1H' }],
      [{ phase: 'during' }],
      [{ env: 'qa' }],
      [{ env: 'PROD' }],
      [{ from: '2026-03-10T11:00:00Z', to: '2026-03-10T11:00:00Z' }],
      [{ from: '2026-03-10T12:00:00Z', to: '2026-03-10T11:00:00Z' }],
      [{ metric: 'cpu_usage' }],
    ])('%j → 400 validation_failed', async (params) => {
      const res = await get({ ...base, ...(params as Record<string, string>) });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'validation_failed', message: expect.any(String) });
    });

    it('more than 11,000 points → 400 range_too_large (11,000 is fine)', async () => {
      const from = Date.UTC(2026, 2, 1) / 1000;
      const ok = await get({ from: String(from), to: String(from + 10_999 * 15), step: '15s' });
      expect(ok.status).toBe(200);
      expect(ok.body.series.latency_p95).toHaveLength(11_000);
      const tooMany = await get({ from: String(from), to: String(from + 11_000 * 15), step: '15s' });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body).toMatchObject({ statusCode: 400, code: 'range_too_large' });
      const week = await get({ from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00Z', step: '15s' });
      expect(week.body.code).toBe('range_too_large');
    });

    const sqlish = ["1' OR '1'='1", "x'); DROP TABLE samples; --", 'prod; SELECT pg_sleep(5)', '$1::text', "2026-03-10T10:00:00Z' --"];
    it.each(['project_id', 'from', 'to', 'step', 'env', 'phase'].flatMap((k) => sqlish.map((v) => [k, v])))(
      'SQL-ish %s=%j → 400',
      async (key, value) => {
        const res = await t.call('GET', q({ project_id: f.enterprise, ...base, [key]: value }), { token: f.owner.token });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('validation_failed');
      },
    );

    it('repeated parameters and a missing project_id → 400', async () => {
      const rep = await t.call('GET', `${TS}?project_id=${f.enterprise}&step=15s&step=60s`, { token: f.owner.token });
      expect([rep.status, rep.body.code]).toEqual([400, 'validation_failed']);
      const twice = await t.call('GET', `${TS}?project_id=${f.enterprise}&project_id=${f.free}`, { token: f.owner.token });
      expect([twice.status, twice.body.code]).toEqual([400, 'validation_failed']);
      const none = await t.call('GET', TS, { token: f.owner.token });
      expect([none.status, none.body.code]).toEqual([400, 'validation_failed']);
    });

    it('the samples table is still there', async () => {
      const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM samples`);
      expect(rows[0].n).toBeGreaterThan(0);
    });
  });

  describe('gating, in the contract order, each refusal recorded', () => {
    it('free → 403 plan_not_enterprise (before parameter validation)', async () => {
      const res = await t.call('GET', q({ project_id: f.free, step: 'bogus' }), { token: f.owner.token });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, code: 'plan_not_enterprise' });
      const [rec] = await auditOf(t, f.admin, f.free);
      expect(rec).toMatchObject({
        route: `GET ${TS}`,
        status: 403,
        project_id: f.free,
        params: { project_id: f.free, step: 'bogus' },
        api_key_id: null,
        user_id: expect.any(String),
        client_ip: expect.stringMatching(/127\.0\.0\.1/),
      });
    });

    it('enterprise outside the pilot → 403 monitoring_not_enabled', async () => {
      const res = await t.call('GET', q({ project_id: f.outside }), { token: f.owner.token });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('monitoring_not_enabled');
      expect((await auditOf(t, f.admin, f.outside))[0]).toMatchObject({ status: 403 });
    });

    it('a stranger → 404 project_not_found, also on a free project (visibility before plan); missing ids alike', async () => {
      const res = await t.call('GET', q({ project_id: f.enterprise }), { token: f.stranger.token });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('project_not_found');
      const free = await t.call('GET', q({ project_id: f.free }), { token: f.stranger.token });
      expect([free.status, free.body.code]).toEqual([404, 'project_not_found']);
      const missing = await t.call('GET', q({ project_id: '00000000-0000-4000-8000-000000000000' }), { token: f.owner.token });
      expect([missing.status, missing.body]).toEqual([404, res.body]);
      const recs = await auditOf(t, f.admin, f.enterprise);
      expect(recs[0]).toMatchObject({ status: 404, user_id: expect.any(String) });
    });

    it('a key without monitoring:read → 403 insufficient_scope; with it → 200; limited to another project → 404', async () => {
      const noScope = await f.key(['deployments:write']);
      const res = await t.call('GET', q({ project_id: f.enterprise }), { apiKey: noScope });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('insufficient_scope');
      const [rec] = await auditOf(t, f.admin, f.enterprise);
      expect(rec).toMatchObject({ status: 403, api_key_id: expect.any(String), user_id: expect.any(String) });

      const reader = await f.key(['monitoring:read']);
      const ok = await t.call('GET', q({ project_id: f.enterprise }), { headers: { authorization: `Bearer ${reader}` } });
      expect(ok.status).toBe(200);
      const other = await f.key(['monitoring:read'], [f.outside]);
      const hidden = await t.call('GET', q({ project_id: f.enterprise }), { apiKey: other });
      expect([hidden.status, hidden.body.code]).toEqual([404, 'project_not_found']);
      const recs = await auditOf(t, f.admin, f.enterprise);
      expect(recs.slice(0, 2).map((r) => r.status)).toEqual([404, 200]);
      expect(recs[1].api_key_id).not.toBe(rec.api_key_id);
    });

    it('no credentials → 401, recorded with the project id', async () => {
      const res = await t.call('GET', q({ project_id: f.enterprise, step: '60s' }));
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthenticated');
      const [rec] = await auditOf(t, f.admin, f.enterprise);
      expect(rec).toMatchObject({ status: 401, user_id: null, api_key_id: null, params: { project_id: f.enterprise, step: '60s' } });
    });

    it('records successful reads with who, route, parameters, status and time', async () => {
      const before = Date.now();
      await get({ from: '2026-03-10T10:00:00Z', to: '2026-03-10T10:01:00Z', step: '15s' });
      const [rec] = await auditOf(t, f.admin, f.enterprise);
      expect(rec).toMatchObject({
        route: `GET ${TS}`,
        status: 200,
        params: { project_id: f.enterprise, from: '2026-03-10T10:00:00Z', to: '2026-03-10T10:01:00Z', step: '15s' },
      });
      expect(Math.abs(Date.parse(rec.at) - before)).toBeLessThan(5000);
    });

    it('in the general stage every enterprise project is served, never a free one', async () => {
      const set = await t.call('PUT', '/admin/rollout', { token: f.admin, body: { stage: 'general', pilot_project_ids: [] } });
      expect(set.status).toBe(200);
      try {
        expect((await t.call('GET', q({ project_id: f.outside }), { token: f.owner.token })).status).toBe(200);
        expect((await t.call('GET', q({ project_id: f.free }), { token: f.owner.token })).body.code).toBe('plan_not_enterprise');
      } finally {
        await t.call('PUT', '/admin/rollout', { token: f.admin, body: { stage: 'pilot', pilot_project_ids: [f.enterprise] } });
      }
    });
  });
  describe('GET /admin/audit', () => {
    it('is for administrators only (members and keys without admin: 403)', async () => {
      expect((await t.call('GET', '/admin/audit', { token: f.owner.token })).body.code).toBe('insufficient_scope');
      expect((await t.call('GET', '/admin/audit', { apiKey: await f.key(['monitoring:read']) })).status).toBe(403);
      expect((await t.call('GET', '/admin/audit')).status).toBe(401);
    });

    it('lists newest first, filters by project and time, honours limit', async () => {
      await get({ step: '60s' });
      await get({ step: '5m' });
      const all = await auditOf(t, f.admin, f.enterprise);
      expect(all.length).toBeGreaterThan(5);
      for (let i = 1; i < all.length; i++) expect(Date.parse(all[i - 1].at)).toBeGreaterThanOrEqual(Date.parse(all[i].at));
      expect(all.every((r) => r.project_id === f.enterprise)).toBe(true);
      expect(all[0].params.step).toBe('5m');
      const two = await t.call('GET', `/admin/audit?project_id=${f.enterprise}&limit=2`, { token: f.admin });
      expect(two.body.map((r: { id: string }) => r.id)).toEqual(all.slice(0, 2).map((r) => r.id));
      const future = await t.call('GET', `/admin/audit?from=${Math.floor(Date.now() / 1000) + 3600}`, { token: f.admin });
      expect(future.body).toEqual([]);
      const past = await t.call('GET', `/admin/audit?to=2020-01-01T00:00:00Z`, { token: f.admin });
      expect(past.body).toEqual([]);
    });

    it.each([
      'limit=0',
      'limit=1001',
      'limit=abc',
      'from=yesterday',
      "project_id=1' OR '1'='1",
      'from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
      'user=x',
    ])('%s → 400', async (query) => {
      const res = await t.call('GET', `/admin/audit?${query}`, { token: f.admin });
      expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
    });
  });
});
