import type { MetricValues } from '@seqpulse/contracts';
import { startTestApp, TestApp } from '../../testing/test-app';
import { DemoFleet, fleetControl, startDemoFleet, waitFor } from '../../testing/fleet';
import { startReceiver } from '../../testing/http-receiver';
import { collectEvents } from '../../testing/sse-client';
import { auditOf, Fixture, insertSamples, monitoringFixture } from '../../testing/monitoring-fixture';
import { SamplesStore } from '../samples/samples.store';
import { DeploymentImpactService } from './deployment-impact.service';
import { VerdictWaiters } from './verdict-waiters';

/** Observation window of the test projects (minutes): short, so windows close within a test. */
const WINDOW_MIN = 2;

describe('deployment verdicts (real Postgres, real HTTP targets and receivers)', () => {
  let t: TestApp;
  let f: Fixture;
  let fleet: DemoFleet;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let ciKey: string;

  beforeAll(async () => {
    fleet = await startDemoFleet({ port: 0, incidentRules: [] });
    receiver = await startReceiver();
    t = await startTestApp({ SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true', SEQPULSE_PUBLIC_URL: 'https://seqpulse.example' });
    f = await monitoringFixture(t);
    // every project polls the loopback fleet (the fixture's public placeholder address is never called)
    await t.db.query(`UPDATE projects SET post_window_min = $1, metrics_endpoint = $2`, [
      WINDOW_MIN,
      `${fleet.url}/targets/ci-prod/metrics`,
    ]);
    ciKey = await f.key(['deployments:write']);
  });
  afterAll(async () => {
    await t.close();
    await fleet.close();
    await receiver.stop();
  });

  const trigger = async (projectId: string, body: Record<string, string> = {}) => {
    const res = await t.call('POST', '/deployments/trigger', { apiKey: ciKey, body: { project_id: projectId, env: 'prod', ...body } });
    expect(res.status).toBe(200);
    return res.body.deployment_id as string;
  };
  const finish = async (id: string) =>
    expect((await t.call('POST', '/deployments/finish', { apiKey: ciKey, body: { deployment_id: id, result: 'success' } })).body).toEqual({
      status: 'accepted',
    });

  it('CI flow: trigger, finish, a real error burst, and verdict?wait answers rollback_recommended; SSE and webhook follow', async () => {
    const target = 'ci-prod';
    const settings = await t.call('PUT', `/projects/${f.enterprise}/notifications`, {
      token: f.owner.token,
      body: { webhook_url: receiver.url },
    });
    expect(settings.status).toBe(200);
    // The collector polls the real target; the pre window is completed with samples at the target's own level.
    await waitFor(
      'a collected sample',
      async () => (await t.db.query(`SELECT 1 FROM samples WHERE project_id = $1`, [f.enterprise])).rowCount,
    );
    const level = ((await (await fetch(`${fleet.url}/targets/${target}/metrics`)).json()) as { metrics: MetricValues }).metrics;
    const now = Date.now();
    await insertSamples(
      t,
      f.enterprise,
      Array.from({ length: 7 }, (_, i) => ({
        at: Math.floor((now - 110_000) / 15_000) * 15_000 + 7_300 + i * 15_000,
        values: level,
      })).filter((s) => s.at < now - 1_000),
    );
    const stream = await collectEvents(`${t.url}/monitoring/enterprise/stream?project_id=${f.enterprise}`, {
      authorization: `Bearer ${f.owner.token}`,
    });

    const id = await trigger(f.enterprise, { idempotency_key: 'ci-42', branch: 'release/42' });
    await finish(id);
    await fleetControl(fleet.url, target, 'error_burst', 600);
    const started = Date.now();
    const verdict = await t.call('GET', `/deployments/${id}/verdict?wait=170`, { apiKey: ciKey });
    expect(verdict.status).toBe(200);
    expect(verdict.body).toMatchObject({ deployment_id: id, verdict: 'rollback_recommended', final: false });
    expect(Date.now() - started).toBeLessThan(WINDOW_MIN * 60_000); // before the window closes
    const limit = verdict.body.reasons.find((r: { rule: string }) => r.rule === 'error_rate_limit');
    expect(limit).toMatchObject({ metric: 'error_rate', limit: 0.01, verdict: 'rollback_recommended' });
    expect(limit.value).toBeGreaterThan(0.05);

    await waitFor(
      'SSE deployment events',
      async () => stream.events.some((e) => e.event === 'deployment' && (e.data as { state: string }).state === 'verdict'),
      10_000,
    );
    stream.close();
    const states = stream.events.filter((e) => e.event === 'deployment').map((e) => e.data);
    expect(states).toEqual(
      expect.arrayContaining([
        { deployment_id: id, env: 'prod', state: 'started' },
        { deployment_id: id, env: 'prod', state: 'finished' },
        expect.objectContaining({ deployment_id: id, env: 'prod', state: 'verdict', verdict: 'rollback_recommended', final: false }),
      ]),
    );

    const hook = await waitFor(
      'the verdict webhook',
      async () => receiver.received.find((r) => JSON.parse(r.body).deployment?.deployment_id === id),
      15_000,
    );
    expect(hook.headers['x-seqpulse-event']).toBe('deployment.verdict');
    const payload = JSON.parse(hook.body);
    expect(payload).toMatchObject({
      type: 'deployment.verdict',
      project_id: f.enterprise,
      deployment: { deployment_id: id, branch: 'release/42', idempotency_key: 'ci-42', verdict: 'rollback_recommended' },
      verdict: { value: 'rollback_recommended', final: false },
      dashboard_url: `https://seqpulse.example/app/projects/${f.enterprise}?deployment=${id}`,
    });
    expect(payload.impact.metrics.error_rate.post.mean).toBeGreaterThan(0.05);
    expect(payload.verdict.reasons.map((r: { rule: string }) => r.rule)).toContain('error_rate_limit');

    const detail = await t.call('GET', `/deployments/${id}`, { token: f.owner.token });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ deployment_id: id, project_id: f.enterprise, verdict: { value: 'rollback_recommended' } });
    expect(detail.body.impact.metrics.error_rate.post.count).toBeGreaterThanOrEqual(5);
    expect(detail.body.impact.metrics.error_rate.pre.count).toBeGreaterThanOrEqual(5);
    const list = await t.call('GET', `/monitoring/enterprise/deployments?project_id=${f.enterprise}&env=prod`, { token: f.owner.token });
    expect(list.body.deployments[0]).toMatchObject({ deployment_id: id, verdict: 'rollback_recommended', verdict_final: false });
    await fleetControl(fleet.url, target, 'normal', 1);
  }, 240_000);

  it('a waiting verdict?wait wakes on the NOTIFY of a new verdict, and costs no request while waiting', async () => {
    const id = await trigger(f.enterprise);
    const [{ finished_at: finishedAt }] = (
      await t.db.query(`UPDATE deployments SET finished_at = now(), result = 'success' WHERE id = $1 RETURNING finished_at`, [id])
    ).rows;
    const waiters = t.app.get(VerdictWaiters);
    const before = waiters.waiting;
    const answer = t.call('GET', `/deployments/${id}/verdict?wait=60`, { apiKey: ciKey });
    await waitFor('the long poll to wait', async () => waiters.waiting > before, 5_000, 20);
    const store = t.app.get(SamplesStore);
    // far above the latency limit, whatever the pre window held (the previous test's error burst is in it)
    const bad: MetricValues = { requests_per_sec: 10, latency_p95: 5_000, error_rate: 0.001, cpu_usage: 0.3, memory_usage: 0.4 };
    await new Promise((r) => setTimeout(r, 1_100));
    const base = new Date(finishedAt).getTime();
    const stored = await store.insertBatch(
      Array.from({ length: 6 }, (_, i) => ({
        projectId: f.enterprise,
        env: 'prod',
        slotAt: new Date(base + 100 + i * 150),
        collectedAt: new Date(base + 150 + i * 150),
        values: bad,
      })),
    );
    expect(stored).toBe(6);
    const sent = Date.now();
    const res = await answer;
    expect(res.body).toMatchObject({ deployment_id: id, verdict: 'rollback_recommended', final: false });
    expect(Date.now() - sent).toBeLessThan(15_000);
    expect(waiters.waiting).toBe(before);
  }, 90_000);

  /** A finished deployment written straight into the table (30 s long), as history is. */
  const insertDeployment = async (startedAt: number) =>
    (
      await t.db.query(
        `INSERT INTO deployments (project_id, env, branch, started_at, finished_at, result) VALUES ($1, 'prod', 'main', $2, $3, 'success') RETURNING id`,
        [f.enterprise, new Date(startedAt), new Date(startedAt + 30_000)],
      )
    ).rows[0].id as string;
  const healthy = (i: number) => ({
    latency_p95: 150 + (i % 5) * 3,
    error_rate: 0.002 + (i % 3) * 0.0005,
    cpu_usage: 0.4,
    memory_usage: 0.5,
  });
  /** `count` healthy samples every 15 s from `from`. */
  const sampleRun = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({ at: from + i * 15_000 + 5_000, values: healthy(i) }));

  /**
   * Two deployments of `day`: a good one with full pre and post windows, and one an hour later during an outage
   * (a full pre window, 2 post samples).
   */
  const goodAndOutage = async (day: number) => {
    const good = await insertDeployment(day);
    await insertSamples(t, f.enterprise, [...sampleRun(day - WINDOW_MIN * 60_000, 8), ...sampleRun(day + 30_000, 8)]);
    const outage = await insertDeployment(day + 3_600_000);
    await insertSamples(t, f.enterprise, [...sampleRun(day + 3_600_000 - WINDOW_MIN * 60_000, 8), ...sampleRun(day + 3_630_000, 2)]);
    return { good, outage };
  };

  it('final verdicts when the window closes: a good deployment is ok, a deployment during an outage inconclusive', async () => {
    // Two days back: out of reach of the scheduled pass (wall clock); the test drives the clock.
    const day = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 2 * 86_400_000 + 10 * 3_600_000;
    const { good, outage } = await goodAndOutage(day);

    const service = t.app.get(DeploymentImpactService);
    const closeOf = (startedAt: number) => new Date(startedAt + 30_000 + WINDOW_MIN * 60_000 + 11_000);
    // At the very end of its window (8 post samples in), the good one is ok but not final yet.
    const open = await service.computeAll([await rowOf(good)], new Date(day + 150_000));
    expect(open[0]).toMatchObject({ verdict: 'ok', final: false });
    // The pass at each window's close (+ the grace) stores the final verdicts.
    for (const startedAt of [day, day + 3_600_000]) {
      const report = await waitFor('a pass', async () => {
        const r = await service.recompute(closeOf(startedAt));
        return r.ran && r;
      });
      expect(report.changed).toBe(1);
    }
    const started = Date.now();
    const okAnswer = await t.call('GET', `/deployments/${good}/verdict?wait=60`, { token: f.owner.token });
    expect(Date.now() - started).toBeLessThan(5_000); // final: answered at once
    expect(okAnswer.body).toEqual({ deployment_id: good, verdict: 'ok', final: true, reasons: [] });
    const outageAnswer = await t.call('GET', `/deployments/${outage}/verdict`, { token: f.owner.token });
    expect(outageAnswer.body).toMatchObject({
      verdict: 'inconclusive',
      final: true,
      reasons: [{ rule: 'too_few_post_samples', value: 2, limit: 5 }],
    });
    const detail = await t.call('GET', `/deployments/${good}`, { token: f.owner.token });
    expect(detail.body.impact.metrics.latency_p95).toMatchObject({ pre: { count: 8 }, post: { count: 8 }, significant: false });
    expect(detail.body.impact.metrics.latency_p95.pre.mean).toBeCloseTo((150 * 8 + 3 * (0 + 1 + 2 + 3 + 4 + 0 + 1 + 2)) / 8, 6);
  });

  it("deployments recorded after the fact (the demo's past) get final verdicts from their samples, once", async () => {
    // Three days back: older than the periodic pass looks back, so only `settle` decides them.
    const day = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 3 * 86_400_000 + 10 * 3_600_000;
    const { good, outage } = await goodAndOutage(day);
    const listed = async () =>
      (
        await t.call(
          'GET',
          `/monitoring/enterprise/deployments?project_id=${f.enterprise}&env=prod&from=${day / 1000 - 60}&to=${day / 1000 + 7200}`,
          { token: f.owner.token },
        )
      ).body.deployments.map((d: { deployment_id: string; verdict: string | null; verdict_final: boolean }) => [
        d.deployment_id,
        d.verdict,
        d.verdict_final,
      ]);
    expect(await listed()).toEqual([
      [outage, null, false],
      [good, null, false],
    ]);
    const service = t.app.get(DeploymentImpactService);
    expect(await service.settle([good, outage])).toBe(2);
    expect(await listed()).toEqual([
      [outage, 'inconclusive', true],
      [good, 'ok', true],
    ]);
    // final: a second call stores nothing, and the stored verdicts are what a reader is answered
    expect(await service.settle([good, outage])).toBe(0);
    expect((await t.call('GET', `/deployments/${outage}/verdict`, { token: f.owner.token })).body).toMatchObject({
      verdict: 'inconclusive',
      final: true,
      reasons: [{ rule: 'too_few_post_samples', value: 2, limit: 5 }],
    });
  });

  async function rowOf(id: string) {
    const { DeploymentsRepository } = await import('../deployments/deployments.repository');
    const row = await t.app.get(DeploymentsRepository).findById(id);
    if (!row) throw new Error('no deployment');
    return row;
  }

  it('access: either read scope; foreign 404; free and off-rollout 403 with the gate codes; every access recorded', async () => {
    const mine = await trigger(f.enterprise);
    const free = await trigger(f.free);
    const outside = await trigger(f.outside);
    const readKey = await f.key(['monitoring:read']);
    const alertsKey = await f.key(['alerts:write']);
    const get = (path: string, auth: { token?: string; apiKey?: string }) => t.call('GET', path, auth);
    expect((await get(`/deployments/${mine}`, { apiKey: readKey })).status).toBe(200);
    expect((await get(`/deployments/${mine}/verdict`, { apiKey: ciKey })).body).toEqual({
      deployment_id: mine,
      verdict: null,
      final: false,
      reasons: [],
    });
    expect((await get(`/deployments/${mine}`, { apiKey: alertsKey })).body.code).toBe('insufficient_scope');
    expect((await get(`/deployments/${mine}`, {})).status).toBe(401);
    for (const path of [`/deployments/${mine}`, `/deployments/${mine}/verdict?wait=5`]) {
      const foreign = await get(path, { token: f.stranger.token });
      expect(foreign.status).toBe(404);
      expect(foreign.body.code).toBe('deployment_not_found');
    }
    expect((await get(`/deployments/00000000-0000-0000-0000-000000000000`, { token: f.owner.token })).body.code).toBe(
      'deployment_not_found',
    );
    expect((await get(`/deployments/not-a-uuid`, { token: f.owner.token })).status).toBe(404);
    const freeAnswer = await get(`/deployments/${free}/verdict?wait=5`, { apiKey: ciKey });
    expect([freeAnswer.status, freeAnswer.body.code]).toEqual([403, 'plan_not_enterprise']);
    const outsideAnswer = await get(`/deployments/${outside}`, { token: f.owner.token });
    expect([outsideAnswer.status, outsideAnswer.body.code]).toEqual([403, 'monitoring_not_enabled']);
    expect((await get(`/deployments/${mine}/verdict?wait=601`, { token: f.owner.token })).body.code).toBe('validation_failed');
    expect((await get(`/deployments/${mine}/verdict?wait=1.5`, { token: f.owner.token })).body.code).toBe('validation_failed');

    const records = (await auditOf(t, f.admin, f.free)).map((r) => `${r.route} ${r.status}`);
    expect(records).toContain('GET /deployments/:id/verdict 403');
    const mineRecords = (await auditOf(t, f.admin, f.enterprise)).map((r) => `${r.route} ${r.status}`);
    expect(mineRecords).toEqual(
      expect.arrayContaining(['GET /deployments/:id 200', 'GET /deployments/:id 403', 'GET /deployments/:id 404']),
    );
  });

  it('the list is gated, newest first, filtered by env and range', async () => {
    const first = await trigger(f.enterprise, { branch: 'a' });
    await new Promise((r) => setTimeout(r, 1_100));
    const second = await trigger(f.enterprise, { branch: 'b' });
    const res = await t.call('GET', `/monitoring/enterprise/deployments?project_id=${f.enterprise}&env=prod`, { token: f.owner.token });
    expect(res.status).toBe(200);
    const ids = res.body.deployments.map((d: { deployment_id: string }) => d.deployment_id);
    expect(ids.indexOf(second)).toBeLessThan(ids.indexOf(first));
    expect(res.body.deployments.find((d: { deployment_id: string }) => d.deployment_id === second)).toEqual({
      deployment_id: second,
      env: 'prod',
      branch: 'b',
      idempotency_key: null,
      started_at: expect.stringMatching(/Z$/),
      finished_at: null,
      result: null,
      verdict: null,
      verdict_final: false,
    });
    const past = await t.call(
      'GET',
      `/monitoring/enterprise/deployments?project_id=${f.enterprise}&to=${Math.floor(Date.now() / 1000) - 3600}`,
      {
        token: f.owner.token,
      },
    );
    expect(past.body.deployments.map((d: { deployment_id: string }) => d.deployment_id)).not.toContain(second);
    expect(
      (await t.call('GET', `/monitoring/enterprise/deployments?project_id=${f.enterprise}&env=nope`, { token: f.owner.token })).status,
    ).toBe(400);
    expect((await t.call('GET', `/monitoring/enterprise/deployments?project_id=${f.free}`, { token: f.owner.token })).body.code).toBe(
      'plan_not_enterprise',
    );
  });

  it('per-project overrides of the verdict settings: read, replaced, validated, used by the rules', async () => {
    const path = `/monitoring/enterprise/verdict-rules?project_id=${f.enterprise}`;
    const initial = await t.call('GET', path, { token: f.owner.token });
    expect(initial.body.settings.latency_p95_limit).toEqual({ value: 300, default: 300, overridden: false });
    const put = await t.call('PUT', path, { token: f.owner.token, body: { latency_p95_limit: 200, min_post_samples: 8 } });
    expect(put.status).toBe(200);
    expect(put.body.settings).toMatchObject({
      latency_p95_limit: { value: 200, overridden: true },
      min_post_samples: { value: 8, overridden: true },
      error_rate_limit: { value: 0.01, overridden: false },
    });
    for (const bad of [{ error_rate_limit: 2 }, { min_post_samples: 2.5 }, { warning_margin: 'x' }, { nope: 1 }]) {
      const res = await t.call('PUT', path, { token: f.owner.token, body: bad });
      expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
    }
    const readOnly = await f.key(['monitoring:read']);
    expect((await t.call('PUT', path, { apiKey: readOnly, body: {} })).body.code).toBe('insufficient_scope');
    // the rules use the project's settings: a past deployment (no collector sample near it) with six slow post samples
    const startedAt = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 2 * 86_400_000 + 14 * 3_600_000;
    const { rows } = await t.db.query(
      `INSERT INTO deployments (project_id, env, started_at, finished_at, result) VALUES ($1, 'prod', $2, $3, 'success') RETURNING id`,
      [f.enterprise, new Date(startedAt), new Date(startedAt + 30_000)],
    );
    const id = rows[0].id as string;
    await insertSamples(t, f.enterprise, [
      ...Array.from({ length: 8 }, (_, i) => ({ at: startedAt - 110_000 + i * 15_000, values: { latency_p95: 150 + i } })),
      ...Array.from({ length: 6 }, (_, i) => ({ at: startedAt + 35_000 + i * 15_000, values: { latency_p95: 250 + i } })),
    ]);
    const verdictOf = async () => (await t.call('GET', `/deployments/${id}/verdict`, { token: f.owner.token })).body;
    expect(await verdictOf()).toMatchObject({
      verdict: 'inconclusive',
      final: true,
      reasons: [{ rule: 'too_few_post_samples', value: 6, limit: 8 }],
    });
    await t.call('PUT', path, { token: f.owner.token, body: { latency_p95_limit: 200 } });
    const after = await verdictOf();
    expect(after.verdict).toBe('rollback_recommended');
    expect(after.reasons).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'latency_p95_limit', limit: 200 })]));
    expect((await t.call('PUT', path, { token: f.owner.token, body: {} })).body.settings.latency_p95_limit.overridden).toBe(false);
  });

  it('OpenAPI documents the routes, their parameters and the impact schema', async () => {
    const doc = (await t.call('GET', '/docs/openapi.json')).body;
    const names = (op: { parameters: { name: string }[] }) => op.parameters.map((p) => p.name).sort();
    expect(names(doc.paths['/deployments/{id}/verdict'].get)).toEqual(['id', 'wait']);
    expect(names(doc.paths['/monitoring/enterprise/deployments'].get)).toEqual(['env', 'from', 'limit', 'project_id', 'to']);
    expect(Object.keys(doc.paths['/deployments/{id}'].get.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '404']));
    expect(doc.components.schemas.MetricImpactDto.properties).toHaveProperty('significant');
    expect(doc.components.schemas.VerdictSettingDto.properties).toHaveProperty('overridden');
  });
});
