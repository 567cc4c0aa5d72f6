import { METRIC_NAMES, validateMetricValues } from '@seqpulse/contracts';
import { request } from 'node:http';
import { DemoFleet, startDemoFleet } from './fleet';
import { httpRequest, TestRequest } from './testing/http-request';

/** 10:00:00 UTC: the start of an incident cycle, a quiet minute for every target. */
const CYCLE_START = Date.UTC(2026, 10, 28, 10, 0, 0);
const MINUTE = 60_000;

interface MetricsBody {
  metrics: Record<string, number>;
}

describe('demo fleet over HTTP', () => {
  let fleet: DemoFleet;
  let now = CYCLE_START;
  const call = (path: string, options?: TestRequest) => httpRequest(fleet.url, path, options);
  const poll = (name: string, options?: TestRequest) => call(`/targets/${name}/metrics`, options);
  const pollMetrics = async (name: string) => {
    const res = await poll(name);
    expect(res.status).toBe(200);
    return res.json<MetricsBody>().metrics;
  };
  const force = (name: string, body: unknown) => call(`/control/targets/${name}/mode`, { method: 'POST', body });

  beforeAll(async () => {
    fleet = await startDemoFleet({
      port: 0,
      clock: () => now,
      slowResponseMs: 300,
    });
  });
  afterAll(() => fleet.close());
  beforeEach(async () => {
    now = CYCLE_START;
    expect((await call('/control/reset', { method: 'POST' })).status).toBe(200);
  });

  it('answers /healthz', async () => {
    const res = await call('/healthz');
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  describe('GET /targets/<name>/metrics', () => {
    const names = [
      ...Array.from({ length: 40 }, (_, i) => `bench-${i * 250}`),
      'bench-9999',
      'shop-prod',
      'payments-prod',
      'search-staging',
      'a',
      '0-0',
      'z'.repeat(64),
    ];

    it.each([0, 7.5 * 60, 13 * 60, 24 * 60 - 1])(
      'returns a valid contract payload for many names at %i min after the cycle start',
      async (minutes) => {
        now = CYCLE_START + minutes * MINUTE;
        for (const name of names) {
          const res = await poll(name);
          expect(res.status).toBe(200);
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          const body = res.json<MetricsBody>();
          expect(Object.keys(body)).toEqual(['metrics']);
          expect(Object.keys(body.metrics).sort()).toEqual([...METRIC_NAMES].sort());
          const validation = validateMetricValues(body.metrics);
          if (!validation.ok) throw new Error(`${name}: ${validation.reason}`);
        }
      },
    );

    it('is deterministic for the same name and time, even across fleet instances', async () => {
      const other = await startDemoFleet({ port: 0, clock: () => now });
      try {
        const first = (await poll('shop-prod')).text;
        expect((await poll('shop-prod')).text).toBe(first);
        expect((await httpRequest(other.url, '/targets/shop-prod/metrics')).text).toBe(first);
        now += 15_000;
        expect((await poll('shop-prod')).text).not.toBe(first);
      } finally {
        await other.close();
      }
    });

    it('gives different names different values', async () => {
      expect(await pollMetrics('bench-1')).not.toEqual(await pollMetrics('bench-2'));
    });

    it('ignores a query string and tolerates a trailing slash', async () => {
      const plain = (await poll('bench-7')).text;
      expect((await call('/targets/bench-7/metrics?x=1')).text).toBe(plain);
      expect((await call('/targets/bench-7/metrics/')).text).toBe(plain);
    });

    it.each(['Shop', 'a_b', 'x'.repeat(65), 'caf%C3%A9'])('rejects the target name %j with 404', async (name) => {
      const res = await poll(name);
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ error: 'invalid_target_name' });
    });

    it('rejects other methods with 405', async () => {
      expect((await poll('bench-1', { method: 'POST', body: {} })).status).toBe(405);
    });

    it('answers 404 on unknown paths', async () => {
      expect((await call('/nope')).status).toBe(404);
      expect((await call('/targets/bench-1')).status).toBe(404);
      expect((await call('/targets/a/b/metrics')).status).toBe(404);
    });
  });

  describe('scheduled incidents', () => {
    it('hangs a prod target during the scripted outage but not the others', async () => {
      now = CYCLE_START + 22.5 * MINUTE;
      await expect(poll('shop-prod', { timeoutMs: 300 })).rejects.toThrow('timeout');
      expect((await poll('shop-staging')).status).toBe(200);
      expect((await poll('bench-1')).status).toBe(200);
    });

    it('plays the error burst on prod targets only', async () => {
      now = CYCLE_START + 3 * MINUTE;
      expect((await pollMetrics('shop-prod')).error_rate).toBeGreaterThanOrEqual(0.05);
      expect((await pollMetrics('bench-3')).error_rate).toBeLessThan(0.01);
    });

    it('reports the scheduled mode on /state', async () => {
      now = CYCLE_START + 10 * MINUTE;
      const state = (await call('/control/targets/shop-prod/state')).json<Record<string, unknown>>();
      expect(state).toMatchObject({
        target: 'shop-prod',
        mode: 'cpu_saturation',
        source: 'schedule',
        since: '2026-11-28T10:06:00.000Z',
        until: '2026-11-28T10:12:30.000Z',
        hmac: false,
      });
      expect((state['metrics'] as Record<string, number>)['cpu_usage']).toBeGreaterThan(0.9);
    });
  });

  describe('forced modes', () => {
    it('error_burst: error_rate 0.05..0.1', async () => {
      expect((await force('bench-1', { mode: 'error_burst' })).status).toBe(200);
      const { error_rate } = await pollMetrics('bench-1');
      expect(error_rate).toBeGreaterThanOrEqual(0.05);
      expect(error_rate).toBeLessThanOrEqual(0.1);
    });

    it('cpu_saturation: cpu above 0.9', async () => {
      await force('bench-1', { mode: 'cpu_saturation' });
      expect((await pollMetrics('bench-1')).cpu_usage).toBeGreaterThan(0.9);
    });

    it('memory_creep: memory climbs above 0.9 over the duration', async () => {
      const before = (await pollMetrics('bench-1')).memory_usage;
      await force('bench-1', { mode: 'memory_creep', duration_s: 600 });
      now += 2 * MINUTE;
      const during = (await pollMetrics('bench-1')).memory_usage;
      now += 5 * MINUTE;
      const peak = (await pollMetrics('bench-1')).memory_usage;
      expect(during).toBeGreaterThan(before);
      expect(peak).toBeGreaterThan(0.9);
      now += 4 * MINUTE; // past duration_s: back to normal
      expect((await pollMetrics('bench-1')).memory_usage).toBeLessThan(0.85);
    });

    it('outage: accepts the request and never answers', async () => {
      await force('bench-1', { mode: 'outage' });
      const started = Date.now();
      await expect(poll('bench-1', { timeoutMs: 400 })).rejects.toThrow('timeout');
      expect(Date.now() - started).toBeGreaterThanOrEqual(380);
      const log = (await call('/control/targets/bench-1/requests')).json();
      expect(log).toMatchObject({ count: 1, last_status: null });
    });

    it('garbage: 200 with a body that is not JSON', async () => {
      await force('bench-1', { mode: 'garbage' });
      const res = await poll('bench-1');
      expect(res.status).toBe(200);
      expect(() => res.json()).toThrow();
    });

    it('invalid_metric: error_rate 1.7, which the contract rejects', async () => {
      await force('bench-1', { mode: 'invalid_metric' });
      const metrics = await pollMetrics('bench-1');
      expect(metrics.error_rate).toBe(1.7);
      expect(validateMetricValues(metrics)).toMatchObject({
        ok: false,
        metric: 'error_rate',
      });
    });

    it('http_500: status 500', async () => {
      await force('bench-1', { mode: 'http_500' });
      expect((await poll('bench-1')).status).toBe(500);
    });

    it('slow: answers valid metrics, late', async () => {
      await force('bench-1', { mode: 'slow' });
      const started = Date.now();
      const res = await poll('bench-1');
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
      expect(res.status).toBe(200);
      expect(validateMetricValues(res.json<MetricsBody>().metrics).ok).toBe(true);
      await expect(poll('bench-1', { timeoutMs: 100 })).rejects.toThrow('timeout');
    });

    it('normal: silences the schedule of a prod target', async () => {
      now = CYCLE_START + 3 * MINUTE; // inside the error burst
      await force('shop-prod', { mode: 'normal' });
      expect((await pollMetrics('shop-prod')).error_rate).toBeLessThan(0.01);
    });

    it('expires after duration_s', async () => {
      const res = await force('bench-1', { mode: 'http_500', duration_s: 60 });
      expect(res.json()).toEqual({
        target: 'bench-1',
        mode: 'http_500',
        since: '2026-11-28T10:00:00.000Z',
        until: '2026-11-28T10:01:00.000Z',
      });
      now += 59_000;
      expect((await poll('bench-1')).status).toBe(500);
      now += 1_000;
      expect((await poll('bench-1')).status).toBe(200);
    });

    it('DELETE returns the target to its schedule', async () => {
      await force('bench-1', { mode: 'http_500' });
      const res = await call('/control/targets/bench-1/mode', {
        method: 'DELETE',
      });
      expect(res.json()).toEqual({ target: 'bench-1', released: true });
      expect((await poll('bench-1')).status).toBe(200);
    });

    it('only affects the forced target', async () => {
      await force('bench-1', { mode: 'http_500' });
      expect((await poll('bench-2')).status).toBe(200);
    });
  });

  describe('control API validation', () => {
    it.each([
      [{ mode: 'explode' }, 'invalid_mode'],
      [{}, 'invalid_mode'],
      [{ mode: 'slow', duration_s: 0 }, 'invalid_duration'],
      [{ mode: 'slow', duration_s: -5 }, 'invalid_duration'],
      [{ mode: 'slow', duration_s: '60' }, 'invalid_duration'],
      [{ mode: 'slow', duration_s: 1e9 }, 'invalid_duration'],
    ])('refuses %j with 400 %s', async (body, error) => {
      const res = await force('bench-1', body);
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error });
    });

    it('refuses an empty body (no mode) and a body that is not JSON', async () => {
      const empty = await call('/control/targets/bench-1/mode', {
        method: 'POST',
      });
      expect(empty.status).toBe(400);
      expect(empty.json()).toMatchObject({ error: 'invalid_mode' });
      const raw = await postRawBody('/control/targets/bench-1/mode', '{not json');
      expect(raw.status).toBe(400);
      expect(raw.json()).toEqual({ error: 'invalid_json' });
    });

    it('refuses an invalid target name and unknown actions', async () => {
      expect((await force('Bad_Name', { mode: 'slow' })).status).toBe(404);
      expect((await call('/control/targets/bench-1/explode')).status).toBe(404);
      expect((await call('/control/targets/bench-1/mode')).status).toBe(405);
    });

    /** Sends a raw (non-JSON) body. */
    function postRawBody(path: string, body: string) {
      return new Promise<{ status: number; json: () => unknown }>((resolve, reject) => {
        const req = request(new URL(path, fleet.url), { method: 'POST', agent: false }, (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              json: () => JSON.parse(text),
            }),
          );
        });
        req.on('error', reject);
        req.end(body);
      });
    }
  });

  describe('GET /control/targets/<name>/requests', () => {
    it('counts polls and keeps the last request headers', async () => {
      expect((await call('/control/targets/bench-5/requests')).json()).toEqual({
        target: 'bench-5',
        count: 0,
        last_at: null,
        last_status: null,
        last_headers: null,
      });
      await poll('bench-5', { headers: { 'x-test-id': 'first' } });
      now += 15_000;
      await poll('bench-5', { headers: { 'x-test-id': 'second' } });
      const log = (await call('/control/targets/bench-5/requests')).json<Record<string, unknown>>();
      expect(log).toMatchObject({
        count: 2,
        last_at: '2026-11-28T10:00:15.000Z',
        last_status: 200,
      });
      expect(log['last_headers']).toMatchObject({ 'x-test-id': 'second' });
    });

    it('does not count control calls or /state as polls', async () => {
      await call('/control/targets/bench-6/state');
      expect((await call('/control/targets/bench-6/requests')).json()).toMatchObject({ count: 0 });
    });
  });
});
