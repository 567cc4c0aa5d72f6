import type { OverviewProject, OverviewResponse } from '@seqpulse/contracts';
import { startTestApp, TestApp } from '../../testing/test-app';
import { auditOf, Fixture, insertSamples, monitoringFixture, MONITORING_FIXTURE_ENV } from '../../testing/monitoring-fixture';
import { DeploymentImpactService } from '../deployment-impact/deployment-impact.service';
import { RollupMaintenance } from '../samples/rollup-maintenance';
import { TimeseriesService } from '../monitoring/timeseries.service';

const MINUTE = 60_000;

describe('GET /monitoring/enterprise/overview', () => {
  let t: TestApp;
  let f: Fixture;
  /** Whole minute the answer's sparkline ends at (exclusive), fixed before the samples are written. */
  let end: number;
  let deploymentId: string;

  beforeAll(async () => {
    t = await startTestApp(MONITORING_FIXTURE_ENV);
    f = await monitoringFixture(t);
    end = Math.floor(Date.now() / MINUTE) * MINUTE;
    // prod: two samples in the minute 10 minutes ago (means 0.2 / max 300), a pre and a post one 3 minutes ago
    // (one minute over two phases: mean 0.6 / max 80); staging: none
    await insertSamples(t, f.enterprise, [
      { at: end - 10 * MINUTE + 5_000, values: { cpu_usage: 0.1, latency_p95: 100 } },
      { at: end - 10 * MINUTE + 20_000, values: { cpu_usage: 0.3, latency_p95: 300 } },
      { at: end - 3 * MINUTE + 2_000, phase: 'post', values: { cpu_usage: 0.7, latency_p95: 80 } },
      { at: end - 3 * MINUTE + 5_000, values: { cpu_usage: 0.5, latency_p95: 50, error_rate: 0.01 } },
      { at: end - MINUTE + 5_000, values: { cpu_usage: 0.9, latency_p95: 60, error_rate: 0.02 } },
    ]);
    const dep = await t.call('POST', '/deployments/trigger', { token: f.owner.token, body: { project_id: f.enterprise, env: 'prod' } });
    await t.call('POST', '/deployments/finish', {
      token: f.owner.token,
      body: { deployment_id: dep.body.deployment_id, result: 'failed' },
    });
    deploymentId = dep.body.deployment_id;
    // prod: two firing alerts; staging: one resolved alert (not counted)
    await t.db.query(
      `INSERT INTO alerts (project_id, env, rule, state, value, threshold, started_at, resolved_at) VALUES
         ($1, 'prod', 'error_rate_high', 'firing', 0.02, 0.01, now(), NULL),
         ($1, 'prod', 'latency_p95_high', 'firing', 900, 500, now(), NULL),
         ($1, 'staging', 'cpu_high', 'resolved', 0.95, 0.9, now() - interval '1 hour', now() - interval '30 minutes')`,
      [f.enterprise],
    );
  });
  afterAll(() => t.close());

  const overview = async (token: string) => {
    const res = await t.call('GET', '/monitoring/enterprise/overview', { token });
    expect(res.status).toBe(200);
    return res.body as OverviewResponse;
  };
  const find = (body: OverviewResponse, id: string) => body.projects.find((p) => p.project_id === id) as OverviewProject;

  it('lists every visible project with its status; only monitored ones carry env data', async () => {
    const body = await overview(f.owner.token);
    expect(body.projects.map((p) => p.project_id).sort()).toEqual([f.enterprise, f.outside, f.free].sort());
    expect(find(body, f.outside)).toMatchObject({
      plan: 'enterprise',
      monitoring: { enabled: false, reason: 'monitoring_not_enabled' },
      envs: [],
    });
    expect(find(body, f.free)).toMatchObject({ plan: 'free', monitoring: { enabled: false, reason: 'plan_not_enterprise' }, envs: [] });
    const ent = find(body, f.enterprise);
    expect(ent.monitoring).toEqual({ enabled: true });
    expect(ent.envs.map((e) => e.env)).toEqual(['prod', 'staging']);
  });

  it('gives the last sample, the sparkline per minute (nulls for gaps), firing alerts and the last deployment', async () => {
    const prod = find(await overview(f.owner.token), f.enterprise).envs[0];
    expect(prod.last_sample_at).toBe(new Date(end - MINUTE + 5_000).toISOString().replace('.000Z', 'Z'));
    expect(prod.values).toEqual({ requests_per_sec: 10, latency_p95: 60, error_rate: 0.02, cpu_usage: 0.9, memory_usage: 0.5 });
    for (const series of Object.values(prod.spark)) expect(series).toHaveLength(60);
    // minute index 50 = 10 minutes before the end: mean of the CPU, max of the latency (the catalogue's aggregation)
    const check = (spark: typeof prod.spark) => {
      expect(spark.cpu_usage[50]).toBeCloseTo(0.2);
      expect(spark.latency_p95[50]).toBe(300);
      expect(spark.cpu_usage[57]).toBeCloseTo(0.6);
      expect(spark.latency_p95[57]).toBe(80);
      expect(spark.cpu_usage[59]).toBeCloseTo(0.9); // a recent minute, read at every call
      expect(spark.cpu_usage.filter((v) => v !== null)).toHaveLength(3);
      expect(spark.cpu_usage[0]).toBeNull();
    };
    check(prod.spark);
    // every built-in rule fires at the critical level today; resolved alerts are not counted
    expect(prod.firing).toEqual({ warning: 0, critical: 2 });
    expect(prod.last_deployment).toMatchObject({ deployment_id: deploymentId, result: 'failed' });
    expect(prod.last_deployment?.finished_at).toMatch(/Z$/);
    const staging = find(await overview(f.owner.token), f.enterprise).envs[1];
    expect(staging).toMatchObject({ last_sample_at: null, values: null, firing: { warning: 0, critical: 0 }, last_deployment: null });
    expect(staging.spark.cpu_usage.every((v) => v === null)).toBe(true);

    // once the minutes are rolled up, the answer is the same (read from the rollup instead of the raw samples;
    // a fresh minute cache so it is read again)
    await t.app.get(RollupMaintenance).catchUp('0 seconds');
    (t.app.get(TimeseriesService) as unknown as { settledSparks: { end: number } }).settledSparks.end = -1;
    const { rows } = await t.db.query(`SELECT count(*)::int AS pending FROM samples_rollup_pending`);
    expect(rows[0].pending).toBe(0);
    check(find(await overview(f.owner.token), f.enterprise).envs[0].spark);
  });

  it("gives the last deployment's verdict as the deployment-impact module stored it", async () => {
    const stored = async () =>
      (await t.db.query(`SELECT verdict FROM deployment_verdicts WHERE deployment_id = $1`, [deploymentId])).rows[0]?.verdict ?? null;
    expect(find(await overview(f.owner.token), f.enterprise).envs[0].last_deployment?.verdict).toBe(await stored());
    // the verdict pass decides (a failed deployment with few samples after it: a verdict all the same)
    await t.app.get(DeploymentImpactService).recompute();
    const verdict = await stored();
    expect(verdict).not.toBeNull();
    const prod = find(await overview(f.owner.token), f.enterprise).envs[0];
    expect(prod.last_deployment?.verdict).toBe(verdict);
    // and it is the one the deployment's own verdict route gives
    const route = await t.call('GET', `/deployments/${deploymentId}/verdict`, { token: f.owner.token });
    expect(route.status).toBe(200);
    expect(route.body.verdict).toBe(verdict);
  });

  it('shows a stranger none of these projects, and a key limited to one project only that one', async () => {
    const body = await overview(f.stranger.token);
    expect(body.projects.filter((p) => [f.enterprise, f.outside, f.free].includes(p.project_id))).toEqual([]);
    const key = await f.key(['monitoring:read'], [f.free]);
    const res = await t.call('GET', '/monitoring/enterprise/overview', { headers: { 'X-API-Key': key } });
    expect(res.status).toBe(200);
    expect((res.body as OverviewResponse).projects.map((p) => p.project_id)).toEqual([f.free]);
  });

  it('needs credentials and the monitoring:read scope', async () => {
    expect((await t.call('GET', '/monitoring/enterprise/overview')).status).toBe(401);
    const key = await f.key(['deployments:write']);
    const res = await t.call('GET', '/monitoring/enterprise/overview', { headers: { 'X-API-Key': key } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('insufficient_scope');
  });

  it('records one access per Enterprise project: 200 when served, 403 outside the rollout; none for other plans', async () => {
    await overview(f.owner.token);
    const route = 'GET /monitoring/enterprise/overview';
    expect((await auditOf(t, f.admin, f.enterprise)).filter((r) => r.route === route).map((r) => r.status)).toContain(200);
    expect((await auditOf(t, f.admin, f.outside)).filter((r) => r.route === route).map((r) => r.status)).toContain(403);
    expect((await auditOf(t, f.admin, f.free)).filter((r) => r.route === route)).toEqual([]);
  });

  it('is documented in OpenAPI', async () => {
    const doc = (await t.call('GET', '/docs/openapi.json')).body;
    const op = doc.paths['/monitoring/enterprise/overview'].get;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401', '403']));
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.OverviewEnvDto.properties).sort()).toEqual(
      ['env', 'firing', 'last_deployment', 'last_sample_at', 'spark', 'values'].sort(),
    );
  });
});
