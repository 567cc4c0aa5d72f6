import { MAX_POINTS_PER_SERIES } from '@seqpulse/contracts';
import { contractValidationPipe } from '../common/validation';
import { resolveTimeseriesRequest, TimeseriesQuery } from './timeseries.dto';
import type { TimeseriesRequest } from './timeseries.dto';
import { buildTimeseriesSql, renderTimeseries, rollupFor } from './timeseries.service';

const envs = ['prod', 'staging'];
const NOW = Date.UTC(2026, 10, 28, 11, 0, 7);
const pipe = contractValidationPipe();
/** The controller's path: the global validation pipe on the query, then the request it describes. */
const parse = async (q: Record<string, unknown>) => {
  const query: TimeseriesQuery = await pipe.transform({ project_id: 'x', ...q }, { type: 'query', metatype: TimeseriesQuery });
  return resolveTimeseriesRequest(query, envs, NOW);
};
const err = async (q: Record<string, unknown>) => {
  try {
    await parse(q);
  } catch (e) {
    return e as { code: string; getStatus(): number };
  }
  throw new Error('expected a refusal');
};

describe('timeseries query: defaults', () => {
  it('defaults to the last hour, the first env, both phases and a 15 s step', async () => {
    const r = await parse({});
    expect(r).toMatchObject({ env: 'prod', phase: null, step: '15s', stepS: 15, toMs: NOW, fromMs: NOW - 3600_000 });
    // 10:00:07 is inside the 10:00:00 bucket, 11:00:07 inside 11:00:00: 241 points.
    expect(r.firstBucket).toBe(Date.UTC(2026, 10, 28, 10, 0, 0) / 1000);
    expect(r.lastBucket).toBe(Date.UTC(2026, 10, 28, 11, 0, 0) / 1000);
    expect(r.points).toBe(241);
  });

  it('with only `from`, runs to now; with only `to`, starts an hour before', async () => {
    expect(await parse({ from: '2026-11-28T10:30:00Z' })).toMatchObject({ fromMs: Date.UTC(2026, 10, 28, 10, 30), toMs: NOW });
    expect(await parse({ to: '2026-11-28T08:00:00Z' })).toMatchObject({
      fromMs: Date.UTC(2026, 10, 28, 7),
      toMs: Date.UTC(2026, 10, 28, 8),
    });
  });

  it('chooses the step from the range (defaultStepFor)', async () => {
    expect((await parse({ from: '2026-11-27T11:00:00Z', to: '2026-11-28T11:00:00Z' })).step).toBe('60s');
    expect((await parse({ from: '2026-11-21T11:00:00Z', to: '2026-11-28T11:00:00Z' })).step).toBe('15m');
    expect((await parse({ from: '2026-08-28T11:00:00Z', to: '2026-11-28T11:00:00Z' })).step).toBe('1h');
  });

  it('aligns buckets to multiples of the step since the epoch, from the bucket of `from` to the bucket of `to`', async () => {
    const r = await parse({ from: '2026-11-28T10:07:00Z', to: '2026-11-28T12:59:59Z', step: '1h' });
    expect(r.firstBucket * 1000).toBe(Date.UTC(2026, 10, 28, 10));
    expect(r.lastBucket * 1000).toBe(Date.UTC(2026, 10, 28, 12));
    expect(r.points).toBe(3);
    const edge = await parse({ from: '2026-11-28T10:00:00Z', to: '2026-11-28T10:01:00Z', step: '15s' });
    expect(edge.points).toBe(5);
    const fiveMin = await parse({ from: '2026-11-28T10:02:00Z', to: '2026-11-28T10:12:00Z', step: '5m' });
    expect([fiveMin.firstBucket % 300, fiveMin.lastBucket % 300, fiveMin.points]).toEqual([0, 0, 3]);
  });

  it('accepts Unix seconds', async () => {
    expect(
      (await parse({ from: String(Date.UTC(2026, 10, 28, 10) / 1000), to: String(Date.UTC(2026, 10, 28, 11) / 1000), step: '60s' })).points,
    ).toBe(61);
  });
});

describe('timeseries query: refusals', () => {
  it('refuses from ≥ to', async () => {
    expect((await err({ from: '2026-11-28T10:00:00Z', to: '2026-11-28T10:00:00Z' })).code).toBe('validation_failed');
    expect((await err({ from: '2026-11-28T11:00:00Z', to: '2026-11-28T10:00:00Z' })).code).toBe('validation_failed');
    expect((await err({ from: '2026-11-28T12:00:00Z' })).code).toBe('validation_failed'); // from after now
  });

  it(`allows ${MAX_POINTS_PER_SERIES} points and refuses one more with range_too_large`, async () => {
    const from = Date.UTC(2026, 0, 1) / 1000;
    expect((await parse({ from: String(from), to: String(from + (MAX_POINTS_PER_SERIES - 1) * 15), step: '15s' })).points).toBe(
      MAX_POINTS_PER_SERIES,
    );
    const e = await err({ from: String(from), to: String(from + MAX_POINTS_PER_SERIES * 15), step: '15s' });
    expect([e.code, e.getStatus()]).toEqual(['range_too_large', 400]);
    expect((await err({ from: '2026-11-21T11:00:00Z', to: '2026-11-28T11:00:00Z', step: '15s' })).code).toBe('range_too_large');
    expect((await err({ from: '1970-01-01T00:00:00Z', to: '2026-11-28T11:00:00Z' })).code).toBe('range_too_large');
  });

  it.each([
    ['step', '10s'],
    ['step', '1H'],
    ['step', ''],
    ['step', '60'],
    ['phase', 'during'],
    ['phase', 'PRE'],
    ['phase', ''],
    ['env', 'qa'],
    ['env', 'Prod'],
    ['env', ''],
    ['from', 'yesterday'],
    ['to', '2026-02-30T00:00:00Z'],
    ['from', ''],
    ['metric', 'cpu_usage'],
    ['limit', '10'],
  ])('refuses %s=%j with 400 validation_failed', async (key, value) => {
    const e = await err({ [key]: value });
    expect([e.code, e.getStatus()]).toEqual(['validation_failed', 400]);
  });

  const sqlish = ["1' OR '1'='1", "'; DROP TABLE samples; --", 'prod; SELECT pg_sleep(10)', '$1', '%27%20OR%201=1', '\\x00'];
  it.each(['from', 'to', 'step', 'env', 'phase'].flatMap((k) => sqlish.map((v) => [k, v])))('refuses SQL-ish %s=%j', async (key, value) => {
    expect((await err({ [key]: value })).code).toBe('validation_failed');
  });

  it('refuses repeated parameters', async () => {
    expect((await err({ step: ['15s', '60s'] })).code).toBe('validation_failed');
  });
});

describe('buildTimeseriesSql', () => {
  let req: TimeseriesRequest;
  beforeAll(async () => {
    req = await parse({ from: '2026-11-28T10:00:00Z', to: '2026-11-28T11:00:00Z', step: '60s' });
  });

  it('reads the aggregation from the metric catalogue (max for latency_p95, avg for the rest)', async () => {
    const { sql } = buildTimeseriesSql('p', req);
    expect(sql).toContain('max(s.latency_p95)');
    for (const m of ['requests_per_sec', 'error_rate', 'cpu_usage', 'memory_usage']) expect(sql).toContain(`avg(s.${m})`);
  });

  it('passes every value as a parameter, bounds slot_at for partition pruning and returns the buckets as arrays', async () => {
    const { sql, params } = buildTimeseriesSql("p'; --", { ...req, phase: 'post' });
    expect(sql).not.toContain("p'; --");
    expect(params).toEqual(["p'; --", 'prod', 60, req.firstBucket, req.lastBucket + 60, 'post']);
    expect(sql).toMatch(/s\.slot_at > to_timestamp\(\$4::bigint\) - interval '40 seconds' AND s\.slot_at < to_timestamp\(\$5::bigint\)/);
    expect(sql).toContain('array_agg((a.t - $4::bigint) / $3::int ORDER BY a.t)::text AS offsets');
    expect(sql).toContain('WHERE a.t >= $4::bigint AND a.t < $5::bigint');
    expect(sql).toContain('s.phase = $6');
  });
});

describe('rollup choice', () => {
  it('reads the coarsest rollup whose width divides the step, raw samples below a minute', async () => {
    expect(rollupFor(15, true)).toBeNull();
    expect(rollupFor(30, true)).toBeNull();
    expect(rollupFor(60, true)?.table).toBe('samples_1m');
    expect(rollupFor(300, true)?.table).toBe('samples_1m');
    expect(rollupFor(900, true)?.table).toBe('samples_15m');
    expect(rollupFor(3600, true)?.table).toBe('samples_15m');
    expect(rollupFor(3600, false)).toBeNull();
  });

  it('falls back to the next coarser tier when the range starts before the tier holds data and a coarser one reaches further', () => {
    const day = 86_400;
    const starts = { raw: 100 * day, minute: 40 * day, quarter: 10 * day };
    expect(rollupFor(15, true, { firstBucket: 120 * day, starts })).toBeNull();
    expect(rollupFor(15, true, { firstBucket: 50 * day, starts })?.table).toBe('samples_1m');
    expect(rollupFor(30, true, { firstBucket: 20 * day, starts })?.table).toBe('samples_15m');
    expect(rollupFor(60, true, { firstBucket: 50 * day, starts })?.table).toBe('samples_1m');
    expect(rollupFor(60, true, { firstBucket: 30 * day, starts })?.table).toBe('samples_15m');
    expect(rollupFor(60, true, { firstBucket: 5 * day, starts })?.table).toBe('samples_15m'); // nothing reaches further
    // every tier starting together (a new installation): a range before the first sample stays at its step's tier
    const fresh = { raw: 100 * day, minute: 100 * day, quarter: 100 * day };
    expect(rollupFor(15, true, { firstBucket: 90 * day, starts: fresh })).toBeNull();
    expect(rollupFor(15, true, { firstBucket: 90 * day, starts: { raw: 100 * day, minute: null, quarter: null } })).toBeNull();
  });

  it('computes exact means (Σsum / Σn) and the max of maxes; pending minutes from the raw samples', async () => {
    const req = await parse({ from: '2026-11-21T11:00:00Z', to: '2026-11-28T11:00:00Z', step: '1h', phase: 'post' });
    const { sql, params } = buildTimeseriesSql('p', req, rollupFor(3600, true));
    expect(params[5]).toBe('post');
    expect(sql).toContain('max(u.latency_p95_max) AS latency_p95');
    expect(sql).toContain('sum(u.cpu_usage_sum) / sum(u.n) AS cpu_usage');
    expect(sql).toContain('FROM samples_15m q');
    expect(sql).toContain('q.bucket NOT IN (SELECT quarter FROM pending_quarters)');
    expect(sql).toContain('FROM samples_1m m');
    expect(sql).toContain('m.bucket NOT IN (SELECT minute FROM pending)');
    expect(sql).toContain('FROM samples s');
    for (const alias of ['q', 'm', 's']) expect(sql).toContain(`AND ${alias}.phase = $6`);
    const minute = buildTimeseriesSql('p', await parse({ step: '5m' }), rollupFor(300, true)).sql;
    expect(minute).not.toContain('samples_15m');
    expect(minute).toContain('FROM samples_1m m');
  });
});

describe('renderTimeseries', () => {
  it('lays the buckets Postgres returned on the grid, every other bucket null', async () => {
    const req = await parse({ from: '2026-11-28T10:00:00Z', to: '2026-11-28T10:00:45Z', step: '15s', phase: 'pre' });
    const deployments = [{ deployment_id: 'd', env: 'prod', started_at: '2026-11-28T10:00:05Z', finished_at: null, result: null }];
    const row = {
      offsets: '{0,2,3}',
      requests_per_sec: '{12.4,1e+21,3}',
      latency_p95: '{180,NaN,4}',
      error_rate: '{1e-07,Infinity,-Infinity}',
      cpu_usage: '{0.30000000000000004,-0.5,5}',
      memory_usage: '{0,0.25,NULL}',
      deployments,
    };
    const text = renderTimeseries('p"1', req, row);
    const ts = ['2026-11-28T10:00:00Z', '2026-11-28T10:00:15Z', '2026-11-28T10:00:30Z', '2026-11-28T10:00:45Z'];
    const want: Record<string, (number | null)[]> = {
      requests_per_sec: [12.4, null, 1e21, 3],
      latency_p95: [180, null, null, 4],
      error_rate: [1e-7, null, null, null],
      cpu_usage: [0.30000000000000004, null, -0.5, 5],
      memory_usage: [0, null, 0.25, null],
    };
    expect(JSON.parse(text)).toEqual({
      project_id: 'p"1',
      env: 'prod',
      phase: 'pre',
      step: '15s',
      from: '2026-11-28T10:00:00Z',
      to: '2026-11-28T10:00:45Z',
      series: Object.fromEntries(Object.entries(want).map(([m, vs]) => [m, vs.map((v, i) => ({ t: ts[i], v }))])),
      deployments,
    });
    expect(text).toContain('{"t":"2026-11-28T10:00:15Z","v":null}');
    expect(Object.keys(JSON.parse(text))).toEqual(['project_id', 'env', 'phase', 'step', 'from', 'to', 'series', 'deployments']);
  });

  it('writes every bucket time exactly, across midnight and month ends', async () => {
    const req = await parse({ from: '2026-02-28T23:00:00Z', to: '2026-03-01T01:00:00Z', step: '15s' });
    const empty = {
      offsets: null,
      requests_per_sec: null,
      latency_p95: null,
      error_rate: null,
      cpu_usage: null,
      memory_usage: null,
      deployments: [],
    };
    const times = JSON.parse(renderTimeseries('p', req, empty)).series.latency_p95.map((p: { t: string }) => p.t);
    expect(times).toEqual(
      Array.from({ length: req.points }, (_, i) => new Date((req.firstBucket + i * 15) * 1000).toISOString().replace('.000Z', 'Z')),
    );
    expect(times).toContain('2026-03-01T00:00:00Z');
  });

  it('answers every bucket null when no bucket has a sample', async () => {
    const req = await parse({ from: '2026-11-28T10:00:00Z', to: '2026-11-28T10:01:00Z', step: '15s' });
    const empty = {
      offsets: null,
      requests_per_sec: null,
      latency_p95: null,
      error_rate: null,
      cpu_usage: null,
      memory_usage: null,
      deployments: [],
    };
    const body = JSON.parse(renderTimeseries('p', req, empty));
    expect(body.series.cpu_usage).toHaveLength(5);
    expect(body.series.cpu_usage.every((p: { v: unknown }) => p.v === null)).toBe(true);
    expect(body.deployments).toEqual([]);
  });
});
