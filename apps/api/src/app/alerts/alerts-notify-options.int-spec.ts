/**
 * Notification options with real webhook receivers: re-notification interval and cap, resolved notifications off,
 * and the Alertmanager (version 4) payload validated against a JSON schema written from Alertmanager's source.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { startTestApp, TestApp } from '../../testing/test-app';
import { startReceiver } from '../../testing/http-receiver';
import { ALERT_TEST_ENV, at, monitoredProject, owner, Owner, series, store, yesterday } from '../../testing/alert-fixtures';
import { NotificationDispatcher } from '../notifications/notification-dispatcher';
import { AlertEvaluator } from './alert-evaluator';

const schema = JSON.parse(readFileSync(join(__dirname, '../../testing/alertmanager-webhook-v4.schema.json'), 'utf8'));

describe('notification options (real Postgres, real receivers)', () => {
  let t: TestApp;
  let o: Owner;

  beforeAll(async () => {
    t = await startTestApp(ALERT_TEST_ENV);
    o = await owner(t);
  });
  afterAll(() => t.close());

  const tick = async (now: Date) => {
    await t.app.get(AlertEvaluator).evaluate(now);
    await t.app.get(NotificationDispatcher).processDue(now);
  };

  it('re-notifies every renotify_min while firing, at most renotify_max times; send_resolved: false sends no resolution', async () => {
    const hook = await startReceiver();
    const slack = await startReceiver();
    const { id } = await monitoredProject(t, o);
    const put = await t.call('PUT', `/projects/${id}/notifications`, {
      token: o.token,
      body: { webhook_url: hook.url, slack_webhook_url: slack.url, renotify_min: 5, renotify_max: 2, send_resolved: false },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ renotify_min: 5, renotify_max: 2, send_resolved: false });
    expect(put.body.webhook_format).toBeUndefined();
    const T = yesterday(5);
    // cpu high for 30 minutes, then normal for 10.
    await store(t, [...series(id, 'prod', T, 120, () => ({ cpu_usage: 0.95 })), ...series(id, 'prod', at(T, 1800), 40, () => ({}))]);
    const opened = at(T, 19 * 15 + 1);
    const minutes = Array.from({ length: 36 }, (_, k) => at(opened, k * 60));
    for (const now of minutes) await tick(now);

    const posted = hook.received.map((r) => JSON.parse(r.body));
    // Opened, then reminders 5 and 10 minutes later; the cap stops the third; no resolution.
    expect(posted.map((p) => [p.type, p.reminder ?? false, p.occurred_at])).toEqual([
      ['alert.firing', false, minutes[0].toISOString().replace('.000', '')],
      ['alert.firing', true, minutes[5].toISOString().replace('.000', '')],
      ['alert.firing', true, minutes[10].toISOString().replace('.000', '')],
    ]);
    expect(new Set(posted.map((p) => p.delivery_id)).size).toBe(3);
    expect(slack.received.map((r) => JSON.parse(r.body).text.split('*')[1])).toEqual(['FIRING', 'STILL FIRING', 'STILL FIRING']);
    const [alert] = (await t.db.query(`SELECT id, state FROM alerts WHERE project_id = $1 AND rule = 'cpu_high'`, [id])).rows;
    expect(alert.state).toBe('resolved');
    const kinds = (await t.db.query(`SELECT kind FROM alert_events WHERE alert_id = $1 ORDER BY id`, [alert.id])).rows;
    expect(kinds.map((k: { kind: string }) => k.kind)).toEqual(['opened', 'renotified', 'renotified', 'resolved']);
    await hook.stop();
    await slack.stop();
  });

  it("webhook_format alertmanager posts Alertmanager's version 4 payload, valid against its schema, for firing, escalation and resolution", async () => {
    const hook = await startReceiver();
    const { id } = await monitoredProject(t, o);
    const put = await t.call('PUT', `/projects/${id}/notifications`, {
      token: o.token,
      body: { webhook_url: hook.url, webhook_format: 'alertmanager' },
    });
    expect(put.body.webhook_format).toBe('alertmanager');
    await t.call('PUT', `/monitoring/enterprise/alert-rules?project_id=${id}`, {
      token: o.token,
      body: { rules: [{ rule: 'error_rate_high', threshold: 0.1, warning: 0.05, window_min: 1 }] },
    });
    const T = yesterday(7);
    const blocks = [0.07, 0.2, 0.001];
    await store(
      t,
      series(id, 'prod', T, 12, (i) => ({ error_rate: blocks[Math.floor(i / 4)] })),
    );
    for (let k = 0; k < 3; k++) await tick(at(T, 60 * k + 50));

    const validate = new Ajv({ allErrors: true }).compile(schema);
    const bodies = hook.received.map((r) => JSON.parse(r.body));
    for (const body of bodies) expect({ valid: validate(body), errors: validate.errors }).toEqual({ valid: true, errors: null });
    expect(bodies.map((b) => [b.status, b.alerts[0].labels.severity, b.notification_reason])).toEqual([
      ['firing', 'warning', 'first notification'],
      ['firing', 'critical', 'new alerts added'],
      ['resolved', 'critical', 'all alerts resolved'],
    ]);
    expect(bodies[0].alerts[0]).toMatchObject({
      labels: { alertname: 'error_rate_high', env: 'prod', project_id: id },
      endsAt: '0001-01-01T00:00:00Z',
      startsAt: at(T, 50).toISOString().replace('.000', ''),
    });
    expect(bodies[2].alerts[0].endsAt).toBe(at(T, 170).toISOString().replace('.000', ''));
    expect(bodies[0].alerts[0].generatorURL).toContain(`/app/projects/${id}?env=prod&from=`);
    // A payload missing a required field fails the schema: the check is not vacuous.
    const incomplete = { ...bodies[0] };
    delete incomplete.groupKey;
    expect(validate(incomplete)).toBe(false);
    await hook.stop();
  });

  it('refuses bad notification options with 400', async () => {
    const { id } = await monitoredProject(t, o);
    for (const body of [
      { renotify_min: 0 },
      { renotify_min: 1441 },
      { renotify_max: 101 },
      { webhook_format: 'pagerduty' },
      { send_resolved: 'no' },
    ]) {
      const res = await t.call('PUT', `/projects/${id}/notifications`, { token: o.token, body });
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: 400, code: 'validation_failed' });
    }
  });
});
