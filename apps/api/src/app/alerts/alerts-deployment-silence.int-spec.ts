/**
 * Silenced during deployments (opt-in per project, in the notification settings): real deployments through the
 * CI routes, a real Postgres, the evaluation at explicit moments around the deployment's trigger.
 */
import type { TestApp } from '../../testing/test-app';
import { at, monitoredProject, Owner, series, startAlertTestApp, store } from '../../testing/alert-fixtures';
import type { AlertEvaluator } from './alert-evaluator';

describe('alerts silenced while a deployment runs (real Postgres, controlled clock)', () => {
  let t: TestApp;
  let evaluator: AlertEvaluator;
  let o: Owner;

  beforeAll(async () => ({ t, evaluator, o } = await startAlertTestApp()));
  afterAll(() => t.close());

  /**
   * A project whose error rate is over the threshold from five minutes before to three minutes after a deployment
   * it triggers now (never finished here), with a webhook and the given settings; returns the trigger's moment.
   */
  async function deployingProject(settings: Record<string, unknown>): Promise<{ id: string; deploymentId: string; T: Date }> {
    const { id } = await monitoredProject(t, o);
    const put = await t.call('PUT', `/projects/${id}/notifications`, {
      token: o.token,
      body: { webhook_url: 'http://127.0.0.1:9/hook', ...settings },
    });
    expect(put.status).toBe(200);
    const triggered = await t.call('POST', '/deployments/trigger', { token: o.token, body: { project_id: id, env: 'prod' } });
    expect(triggered.status).toBe(200);
    const deploymentId = triggered.body.deployment_id as string;
    const { rows } = await t.db.query(`SELECT started_at FROM deployment_windows WHERE deployment_id = $1`, [deploymentId]);
    const T: Date = rows[0].started_at;
    await store(
      t,
      series(id, 'prod', at(T, -300), 33, () => ({ error_rate: 0.5 })),
    );
    return { id, deploymentId, T };
  }

  async function alertOf(projectId: string) {
    const { rows } = await t.db.query(
      `SELECT a.id, a.state, a.silenced, (SELECT count(*)::int FROM notification_deliveries d WHERE d.alert_id = a.id) AS queued,
              (SELECT array_agg(e.kind ORDER BY e.id) FROM alert_events e WHERE e.alert_id = a.id) AS timeline
         FROM alerts a WHERE a.project_id = $1 AND a.rule = 'error_rate_high'`,
      [projectId],
    );
    expect(rows).toHaveLength(1);
    return rows[0] as { id: string; state: string; silenced: boolean; queued: number; timeline: string[] };
  }

  it('opted in: the alert opens silenced while the deployment runs, and is announced once it has finished', async () => {
    const { id, deploymentId, T } = await deployingProject({ silence_during_deployments: true });
    await evaluator.evaluate(at(T, 30));
    expect(await alertOf(id)).toMatchObject({ state: 'firing', silenced: true, queued: 0, timeline: ['opened', 'silenced'] });

    const finished = await t.call('POST', '/deployments/finish', {
      token: o.token,
      body: { deployment_id: deploymentId, result: 'success' },
    });
    expect(finished.status).toBe(200);
    await evaluator.evaluate(at(T, 60)); // after the finish (a few milliseconds after T on the real clock)
    expect(await alertOf(id)).toMatchObject({
      state: 'firing',
      silenced: false,
      queued: 1,
      timeline: ['opened', 'silenced', 'unsilenced'],
    });
  });

  it('opted in: a deployment that never finishes silences only up to the cap after its trigger', async () => {
    const { id, T } = await deployingProject({ silence_during_deployments: true, deployment_silence_max_min: 1 });
    await evaluator.evaluate(at(T, 30));
    expect(await alertOf(id)).toMatchObject({ silenced: true, queued: 0 });
    await evaluator.evaluate(at(T, 61));
    expect(await alertOf(id)).toMatchObject({ state: 'firing', silenced: false, queued: 1 });
  });

  it('option off (the default): a running deployment silences nothing', async () => {
    const { id, T } = await deployingProject({});
    await evaluator.evaluate(at(T, 30));
    expect(await alertOf(id)).toMatchObject({ state: 'firing', silenced: false, queued: 1, timeline: ['opened'] });
    const settings = await t.call('GET', `/projects/${id}/notifications`, { token: o.token });
    expect(settings.body).not.toHaveProperty('silence_during_deployments');
  });

  it('reads the option back, and refuses a cap outside 1..240 minutes', async () => {
    const { id } = await monitoredProject(t, o);
    const on = await t.call('PUT', `/projects/${id}/notifications`, { token: o.token, body: { silence_during_deployments: true } });
    expect(on.body).toMatchObject({ silence_during_deployments: true, deployment_silence_max_min: 60 });
    const refused = await t.call('PUT', `/projects/${id}/notifications`, {
      token: o.token,
      body: { silence_during_deployments: true, deployment_silence_max_min: 241 },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'validation_failed' });
    expect((await t.call('GET', `/projects/${id}/notifications`, { token: o.token })).body.deployment_silence_max_min).toBe(60);
  });
});
