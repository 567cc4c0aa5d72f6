import { ALERT_RULE_DEFAULTS, THRESHOLD_RULE_METRIC } from '@seqpulse/contracts';
import type { MetricValues } from '@seqpulse/contracts';
import { startTestApp, TestApp } from '../../testing/test-app';
import type { NewSample } from '../samples/samples.store';
import { AlertEvaluator } from './alert-evaluator';
import {
  ALERT_TEST_ENV,
  alertsOf,
  at,
  monitoredProject,
  NORMAL,
  owner,
  Owner,
  series,
  setPilot,
  startAlertTestApp,
  store,
  windowMean,
  yesterday,
} from '../../testing/alert-fixtures';
import type { ThresholdRuleName } from './alert-rules';

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('Alert evaluation (real Postgres, controlled clock)', () => {
  let t: TestApp;
  let evaluator: AlertEvaluator;
  let o: Owner;

  beforeAll(async () => ({ t, evaluator, o } = await startAlertTestApp()));
  afterAll(() => t.close());

  const HIGH: Record<ThresholdRuleName, Partial<MetricValues>> = {
    error_rate_high: { error_rate: 0.05 },
    latency_p95_high: { latency_p95: 900 },
    cpu_high: { cpu_usage: 0.97 },
    memory_high: { memory_usage: 0.99 },
  };

  it.each(Object.keys(HIGH) as ThresholdRuleName[])(
    '%s: a condition starting at T fires at the first evaluation at or after the 5-minute mean crosses, not before',
    async (rule) => {
      const { id } = await monitoredProject(t, o);
      const T = at(yesterday(1), Object.keys(HIGH).indexOf(rule) * 3600);
      const samples = [...series(id, 'prod', at(T, -600), 40, () => ({})), ...series(id, 'prod', T, 40, () => HIGH[rule])];
      await store(t, samples);
      const metric = THRESHOLD_RULE_METRIC[rule];
      const threshold = ALERT_RULE_DEFAULTS[rule];
      // Evaluations every 15 s, offset from the samples; the expected one is computed from the samples alone.
      const evaluations = Array.from({ length: 30 }, (_, k) => at(T, (k - 4) * 15 + 7));
      const expected = evaluations.find((e) => (windowMean(samples, metric, e) ?? 0) > threshold)!;
      expect(expected.getTime()).toBeGreaterThan(T.getTime());
      for (const now of evaluations) {
        const result = await evaluator.evaluate(now);
        const mine = (await alertsOf(t, id)).filter((a) => a.rule === rule);
        if (now < expected) {
          expect(mine).toHaveLength(0);
        } else {
          expect(mine).toHaveLength(1);
          expect(mine[0]).toMatchObject({ state: 'firing', threshold });
          expect(mine[0].started_at.getTime()).toBe(expected.getTime());
          expect(mine[0].value).toBeCloseTo(windowMean(samples, metric, expected)!, 9);
          // The evaluation that opened the alert reports it; later ones do not open it again.
          expect(result.fired.map((a) => a.rule).includes(rule)).toBe(now.getTime() === expected.getTime());
        }
      }
      // No other rule fired on the way.
      expect((await alertsOf(t, id)).map((a) => a.rule)).toEqual([rule]);
      await t.call('DELETE', `/projects/${id}`, { token: o.token });
    },
  );

  it('one bad sample among twenty that moves the mean over fires, and the next evaluation with the mean back under resolves', async () => {
    const { id } = await monitoredProject(t, o);
    const T0 = yesterday(6);
    const samples = series(id, 'prod', T0, 46, (i) => ({ latency_p95: i === 19 ? 2500 : 400 }));
    await store(t, samples);
    expect(windowMean(samples, 'latency_p95', at(T0, 19 * 15 + 1))).toBeCloseTo(505, 9); // (19·400 + 2500) / 20
    const evaluations = Array.from({ length: 28 }, (_, k) => at(T0, (18 + k) * 15 + 1));
    const over = (e: Date) => windowMean(samples, 'latency_p95', e)! > 500;
    const fireAt = evaluations.find(over)!;
    const resolveAt = evaluations.find((e) => e > fireAt && !over(e))!;
    expect(fireAt.getTime()).toBe(at(T0, 19 * 15 + 1).getTime());
    expect(resolveAt.getTime()).toBe(at(T0, 39 * 15 + 1).getTime()); // the bad sample left the window

    for (const now of evaluations) {
      await evaluator.evaluate(now);
      const [alert, ...others] = await alertsOf(t, id);
      expect(others).toHaveLength(0);
      if (now < fireAt) expect(alert).toBeUndefined();
      else if (now < resolveAt) expect(alert).toMatchObject({ rule: 'latency_p95_high', state: 'firing', resolved_at: null });
      else {
        expect(alert).toMatchObject({ rule: 'latency_p95_high', state: 'resolved', threshold: 500, resolution_reason: 'recovered' });
        expect(alert.value).toBeCloseTo(505, 9);
        expect(alert.started_at.getTime()).toBe(fireAt.getTime());
        expect(alert.resolved_at!.getTime()).toBe(resolveAt.getTime());
      }
    }

    const listed = await t.call('GET', `/monitoring/enterprise/alerts?project_id=${id}`, { token: o.token });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      expect.objectContaining({
        rule: 'latency_p95_high',
        env: 'prod',
        state: 'resolved',
        threshold: 500,
        started_at: iso(fireAt),
        resolved_at: iso(resolveAt),
      }),
    ]);
    await t.call('DELETE', `/projects/${id}`, { token: o.token });
  });

  it('no_data fires N minutes after the last sample (env override N = 7, other env default 5) and resolves on the next sample', async () => {
    const { id } = await monitoredProject(t, o, { envs: ['prod', 'staging'] });
    const put = await t.call('PUT', `/monitoring/enterprise/alert-rules?project_id=${id}`, {
      token: o.token,
      body: { rules: [{ rule: 'no_data', env: 'prod', threshold: 7 }] },
    });
    expect(put.status).toBe(200);
    const T0 = yesterday(7);
    const samples = [...series(id, 'prod', T0, 40, () => ({})), ...series(id, 'staging', T0, 40, () => ({}))];
    await store(t, samples);
    await evaluator.evaluate(at(T0, 5)); // monitoring of the envs starts while samples flow
    const last = samples[39].collectedAt;

    const evaluations = Array.from({ length: 40 }, (_, k) => at(T0, 39 * 15 + 5 + k * 15));
    const expected = {
      prod: evaluations.find((e) => e.getTime() - last.getTime() >= 7 * 60_000)!,
      staging: evaluations.find((e) => e.getTime() - last.getTime() >= 5 * 60_000)!,
    };
    for (const now of evaluations) {
      await evaluator.evaluate(now);
      const open = (await alertsOf(t, id)).filter((a) => a.state === 'firing');
      for (const env of ['prod', 'staging'] as const) {
        const mine = open.filter((a) => a.env === env);
        if (now < expected[env]) expect(mine).toHaveLength(0);
        else {
          expect(mine).toHaveLength(1);
          expect(mine[0]).toMatchObject({ rule: 'no_data', threshold: env === 'prod' ? 7 : 5 });
          expect(mine[0].started_at.getTime()).toBe(expected[env].getTime());
          expect(mine[0].value).toBeCloseTo((expected[env].getTime() - last.getTime()) / 60_000, 2);
        }
      }
    }
    // The next sample of prod arrives: prod resolves at the next evaluation, staging (still silent) stays open.
    const end = evaluations[evaluations.length - 1];
    await store(
      t,
      series(id, 'prod', at(end, 10), 1, () => ({})),
    );
    await evaluator.evaluate(at(end, 5)); // before the sample's collection time: nothing changes
    expect((await alertsOf(t, id)).filter((a) => a.state === 'firing')).toHaveLength(2);
    const result = await evaluator.evaluate(at(end, 15));
    expect(result.resolved.filter((a) => a.env === 'prod')).toEqual([
      expect.objectContaining({ rule: 'no_data', state: 'resolved', resolution_reason: 'sample_received' }),
    ]);
    const alerts = await alertsOf(t, id);
    expect(alerts.find((a) => a.env === 'prod')).toMatchObject({ state: 'resolved', resolution_reason: 'sample_received' });
    expect(alerts.find((a) => a.env === 'staging')).toMatchObject({ state: 'firing' });
    await t.call('DELETE', `/projects/${id}`, { token: o.token });
  });

  it('a target that keeps failing (no sample ever stored) fires no_data counted from when monitoring started, never a threshold rule', async () => {
    const { id } = await monitoredProject(t, o);
    const start = at(yesterday(8), 3);
    for (let k = 0; k <= 28; k++) {
      const now = at(start, k * 15);
      await t.db.query(`INSERT INTO collection_failures (project_id, env, slot_at, at, reason) VALUES ($1, 'prod', $2, $2, 'timeout')`, [
        id,
        now,
      ]);
      await evaluator.evaluate(now);
      const alerts = await alertsOf(t, id);
      if (k * 15 < 300) expect(alerts).toHaveLength(0);
      else {
        expect(alerts).toHaveLength(1);
        expect(alerts[0]).toMatchObject({ rule: 'no_data', state: 'firing', threshold: 5, value: 5 });
        expect(alerts[0].started_at.getTime()).toBe(at(start, 300).getTime());
      }
    }
    await t.call('DELETE', `/projects/${id}`, { token: o.token });
  });

  it('window means count only stored samples: three samples in a window are their own mean; an empty window fires no threshold rule even at threshold 0', async () => {
    const { id } = await monitoredProject(t, o);
    const put = await t.call('PUT', `/monitoring/enterprise/alert-rules?project_id=${id}`, {
      token: o.token,
      body: { rules: [{ rule: 'error_rate_high', threshold: 0 }] },
    });
    expect(put.status).toBe(200);
    const T0 = yesterday(9);
    await evaluator.evaluate(T0); // monitoring starts: an empty window
    expect(await alertsOf(t, id)).toEqual([]);
    const samples = series(id, 'prod', at(T0, 60), 3, () => ({ cpu_usage: 0.9, error_rate: 0 }), 15);
    await store(t, samples);
    const result = await evaluator.evaluate(at(T0, 100));
    expect(result.fired.filter((a) => a.rule === 'cpu_high')).toEqual([expect.objectContaining({ value: 0.9 })]);
    // error_rate 0 is not > 0: no alert even at threshold 0.
    expect((await alertsOf(t, id)).map((a) => a.rule)).toEqual(['cpu_high']);
    await t.call('DELETE', `/projects/${id}`, { token: o.token });
  });

  it('the window holds the samples collected in it, also those whose slot is up to the lag bound earlier (both evaluation paths)', async () => {
    const T = yesterday(16);
    // Collected 39 s after their slots (the store accepts up to 40 s), a different error rate each: at T + 400 s the
    // window (T + 100, T + 400] holds slots 5–24; slots 5 and 6 start before the window, slot 25 is not collected yet.
    const make = (id: string) => series(id, 'prod', T, 40, (i) => ({ error_rate: 0.1 + i / 1000 }), 15, 39_000);
    const now = at(T, 400);
    const periodic = await monitoredProject(t, o);
    const prompt = await monitoredProject(t, o);
    const samples = { periodic: make(periodic.id), prompt: make(prompt.id) };
    await store(t, [...samples.periodic, ...samples.prompt]);
    const expected = windowMean(samples.periodic, 'error_rate', now) ?? Number.NaN;
    expect(expected).toBeCloseTo(0.1 + 14.5 / 1000, 12);

    const opened = async (id: string) => (await alertsOf(t, id)).filter((a) => a.rule === 'error_rate_high');
    // The prompt path first: the periodic pass evaluates every env, the prompt project's too.
    await evaluator.evaluateEnvs([{ projectId: prompt.id, env: 'prod' }], now);
    expect(await opened(periodic.id)).toEqual([]);
    expect((await opened(prompt.id))[0]?.value).toBeCloseTo(expected, 12);
    await evaluator.evaluate(now);
    expect((await opened(periodic.id))[0]?.value).toBeCloseTo(expected, 12);
  });

  it('open alerts are resolved with a reason when the project leaves Enterprise, leaves the rollout, loses the env, the rule is disabled or the window empties', async () => {
    const T0 = yesterday(10);
    const hot = (id: string, env = 'prod') => series(id, env, T0, 20, () => ({ cpu_usage: 0.95 }));
    const a = await monitoredProject(t, o);
    const b = await monitoredProject(t, o);
    const c = await monitoredProject(t, o, { envs: ['prod', 'staging'] });
    const d = await monitoredProject(t, o);
    const e = await monitoredProject(t, o);
    await store(t, [...hot(a.id), ...hot(b.id), ...hot(c.id, 'staging'), ...hot(d.id), ...hot(e.id)]);
    const now = at(T0, 19 * 15 + 1);
    const fired = await evaluator.evaluate(now);
    expect(fired.fired.filter((x) => x.rule === 'cpu_high')).toHaveLength(5);
    for (const p of [a, b, c, d, e])
      expect((await alertsOf(t, p.id)).filter((x) => x.state === 'firing').map((x) => x.rule)).toEqual(['cpu_high']);

    expect((await t.call('PUT', `/admin/projects/${a.id}/plan`, { token: o.admin, body: { plan: 'pro' } })).status).toBe(200);
    await setPilot(t, o, b.id, false);
    expect((await t.call('PATCH', `/projects/${c.id}`, { token: o.token, body: { envs: ['prod'] } })).status).toBe(200);
    expect(
      (
        await t.call('PUT', `/monitoring/enterprise/alert-rules?project_id=${d.id}`, {
          token: o.token,
          body: { rules: [{ rule: 'cpu_high', threshold: 0.8, enabled: false }] },
        })
      ).status,
    ).toBe(200);

    const later = at(now, 15);
    const result = await evaluator.evaluate(later);
    const reason = async (id: string) => (await alertsOf(t, id)).map((x) => [x.state, x.resolution_reason, x.resolved_at?.getTime()]);
    expect(await reason(a.id)).toEqual([['resolved', 'plan_not_enterprise', later.getTime()]]);
    expect(await reason(b.id)).toEqual([['resolved', 'monitoring_not_enabled', later.getTime()]]);
    expect(await reason(c.id)).toEqual([['resolved', 'env_removed', later.getTime()]]);
    expect(await reason(d.id)).toEqual([['resolved', 'rule_disabled', later.getTime()]]);
    expect(await reason(e.id)).toEqual([['firing', null, undefined]]);
    expect(result.resolved.map((x) => x.resolution_reason).sort()).toEqual([
      'env_removed',
      'monitoring_not_enabled',
      'plan_not_enterprise',
      'rule_disabled',
    ]);

    // e: its samples stop; once the 5-minute window is empty the mean is unknown and the alert resolves.
    const lastCollected = hot(e.id)[19].collectedAt;
    const empty = at(lastCollected, 300);
    await evaluator.evaluate(at(lastCollected, 299));
    expect((await alertsOf(t, e.id)).find((x) => x.rule === 'cpu_high')).toMatchObject({ state: 'firing' });
    await evaluator.evaluate(empty);
    expect((await alertsOf(t, e.id)).find((x) => x.rule === 'cpu_high')).toMatchObject({
      state: 'resolved',
      resolution_reason: 'no_samples_in_window',
    });
    for (const p of [a, b, c, d, e]) await t.call('DELETE', `/projects/${p.id}`, { token: o.token });
  });

  it('records the duration of every run in analysis_runs (avg_analysis_ms of /health/scheduler)', async () => {
    const before = (await t.db.query(`SELECT count(*)::int AS n FROM analysis_runs WHERE kind = 'alerts'`)).rows[0].n;
    const result = await evaluator.evaluate(yesterday(12));
    expect(result.ran).toBe(true);
    const { rows } = await t.db.query(`SELECT duration_ms, started_at FROM analysis_runs WHERE kind = 'alerts' ORDER BY id DESC LIMIT 1`);
    expect((await t.db.query(`SELECT count(*)::int AS n FROM analysis_runs WHERE kind = 'alerts'`)).rows[0].n).toBe(before + 1);
    // The stored duration is the run's, measured before its commit: at most what evaluate() reports after it.
    expect(rows[0].duration_ms).toBeLessThanOrEqual(result.durationMs);
    expect(Date.now() - new Date(rows[0].started_at).getTime()).toBeLessThan(60_000); // wall clock, not the evaluation clock
    const [{ mean }] = (
      await t.db.query(
        `SELECT round(avg(duration_ms))::int AS mean FROM analysis_runs WHERE kind = 'alerts' AND started_at > now() - interval '15 minutes'`,
      )
    ).rows;
    const health = await t.call('GET', '/health/scheduler');
    expect(health.status).toBe(200);
    expect(health.body.avg_analysis_ms).toBe(mean);
  });
});

describe('Alert evaluation with two evaluator processes on one database, and a restart', () => {
  let one: TestApp;
  let two: TestApp;
  let o: Owner;

  beforeAll(async () => {
    one = await startTestApp(ALERT_TEST_ENV);
    two = await startTestApp(ALERT_TEST_ENV, { databaseUrl: one.config.DATABASE_URL });
    o = await owner(one);
  });
  afterAll(async () => {
    await one.close();
    await two.close().catch(() => undefined);
  });

  it('never opens a duplicate alert when both evaluate at once, and a restarted process neither loses nor duplicates the open alert', async () => {
    const projects: { id: string }[] = [];
    for (let i = 0; i < 3; i++) projects.push(await monitoredProject(one, o, { envs: ['prod', 'staging', 'dev'] })); // one pilot-list update at a time
    const T0 = yesterday(14);
    const samples: NewSample[] = projects.flatMap((p) =>
      ['prod', 'staging', 'dev'].flatMap((env) =>
        series(p.id, env, T0, 40, () => ({ cpu_usage: 0.95, memory_usage: 0.95, error_rate: 0.2, latency_p95: 5000 })),
      ),
    );
    await store(one, samples);
    const e1 = one.app.get(AlertEvaluator);
    const e2 = two.app.get(AlertEvaluator);
    let ran = 0;
    for (let k = 0; k < 12; k++) {
      const now = at(T0, 19 * 15 + 1 + k * 15);
      const results = await Promise.all([e1.evaluate(now), e2.evaluate(now), e1.evaluate(now), e2.evaluate(now)]);
      ran += results.filter((r) => r.ran).length;
      expect(results.some((r) => r.ran)).toBe(true);
    }
    expect(ran).toBeGreaterThanOrEqual(12);
    const { rows } = await one.db.query(
      `SELECT project_id, env, rule, count(*)::int AS n, count(*) FILTER (WHERE state = 'firing')::int AS open FROM alerts WHERE project_id = ANY($1::uuid[]) GROUP BY 1, 2, 3`,
      [projects.map((p) => p.id)],
    );
    expect(rows).toHaveLength(3 * 3 * 4);
    expect(rows.every((r: { n: number; open: number }) => r.n === 1 && r.open === 1)).toBe(true);
    // The partial unique index itself refuses a second open alert.
    const anyAlert = (await alertsOf(one, projects[0].id))[0];
    await expect(
      one.db.query(
        `INSERT INTO alerts (project_id, env, rule, state, value, threshold, started_at) VALUES ($1, $2, $3, 'firing', 1, 0.5, now())`,
        [projects[0].id, anyAlert.env, anyAlert.rule],
      ),
    ).rejects.toThrow(/alerts_one_open_idx/);

    // Restart: process two stops, a third starts on the same database; the open alerts are the same rows.
    const openBefore = (
      await one.db.query(`SELECT id FROM alerts WHERE project_id = ANY($1::uuid[]) AND state = 'firing' ORDER BY id`, [
        projects.map((p) => p.id),
      ])
    ).rows;
    await two.close();
    two = await startTestApp(ALERT_TEST_ENV, { databaseUrl: one.config.DATABASE_URL });
    const e3 = two.app.get(AlertEvaluator);
    const again = await e3.evaluate(at(T0, 39 * 15 + 1));
    expect([...again.fired, ...again.resolved].map((a) => `${a.rule}/${a.env}/${a.state}/${a.resolution_reason}`)).toEqual([]);
    const openAfter = (
      await one.db.query(`SELECT id FROM alerts WHERE project_id = ANY($1::uuid[]) AND state = 'firing' ORDER BY id`, [
        projects.map((p) => p.id),
      ])
    ).rows;
    expect(openAfter).toEqual(openBefore);
    // The condition clears: the restarted process resolves those same alerts.
    await store(
      two,
      projects.flatMap((p) => ['prod', 'staging', 'dev'].flatMap((env) => series(p.id, env, at(T0, 600), 21, () => ({ ...NORMAL })))),
    );
    const cleared = await e3.evaluate(at(T0, 600 + 20 * 15 + 1));
    expect(cleared.resolved.map((a) => a.id).sort()).toEqual(openBefore.map((r: { id: string }) => r.id).sort());
  });
});
