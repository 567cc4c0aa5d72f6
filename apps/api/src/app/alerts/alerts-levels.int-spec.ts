/**
 * Rule settings on a real Postgres with scripted series: hysteresis, warning/critical levels on one alert instance,
 * minimum samples, and the validation of the settings.
 */
import type { TestApp } from '../../testing/test-app';
import { startReceiver } from '../../testing/http-receiver';
import { at, monitoredProject, Owner, series, startAlertTestApp, store, yesterday } from '../../testing/alert-fixtures';
import { NotificationDispatcher } from '../notifications/notification-dispatcher';
import type { AlertEvaluator } from './alert-evaluator';

const rulesUrl = (id: string) => `/monitoring/enterprise/alert-rules?project_id=${id}`;

describe('alert rule settings (real Postgres, controlled clock)', () => {
  let t: TestApp;
  let evaluator: AlertEvaluator;
  let o: Owner;

  beforeAll(async () => ({ t, evaluator, o } = await startAlertTestApp()));
  afterAll(() => t.close());

  const putRules = async (id: string, rules: unknown[]) => {
    const res = await t.call('PUT', rulesUrl(id), { token: o.token, body: { rules } });
    expect(res.status).toBe(200);
    return res.body;
  };
  const alerts = async (id: string, rule: string) =>
    (
      await t.db.query(
        `SELECT id, state, level, threshold, started_at, resolved_at FROM alerts WHERE project_id = $1 AND rule = $2 ORDER BY started_at`,
        [id, rule],
      )
    ).rows;

  it('hysteresis: a 1-minute mean oscillating around the threshold opens one alert with a recovery threshold, ten without', async () => {
    const T = yesterday(2);
    // 1-minute blocks of four samples: 0.85 and 0.75 in turn for 20 minutes, then 0.5.
    const block = (k: number) => (k >= 20 ? 0.5 : k % 2 === 0 ? 0.85 : 0.75);
    const flapping = await monitoredProject(t, o);
    const steady = await monitoredProject(t, o);
    await putRules(flapping.id, [{ rule: 'cpu_high', threshold: 0.8, window_min: 1 }]);
    const put = await putRules(steady.id, [{ rule: 'cpu_high', threshold: 0.8, window_min: 1, recovery: { critical: 0.7 } }]);
    expect(put.rules[2]).toEqual({
      rule: 'cpu_high',
      env: null,
      threshold: 0.8,
      enabled: true,
      window_min: 1,
      recovery: { critical: 0.7 },
    });
    for (const p of [flapping, steady])
      await store(
        t,
        series(p.id, 'prod', T, 24 * 4, (i) => ({ cpu_usage: block(Math.floor(i / 4)) })),
      );

    // Each evaluation's 1-minute window (now - 60 s, now] holds exactly block k.
    for (let k = 0; k < 24; k++) await evaluator.evaluate(at(T, 60 * k + 50));

    const flaps = await alerts(flapping.id, 'cpu_high');
    expect(flaps).toHaveLength(10);
    expect(flaps.every((a: { state: string }) => a.state === 'resolved')).toBe(true);
    const [one, ...none] = await alerts(steady.id, 'cpu_high');
    expect(none).toHaveLength(0);
    expect(one).toMatchObject({ state: 'resolved', level: 'critical', threshold: 0.8 });
    expect(one.started_at.getTime()).toBe(at(T, 50).getTime());
    expect(one.resolved_at.getTime()).toBe(at(T, 60 * 20 + 50).getTime()); // the first block under 0.7
  });

  it('warning → critical → warning → resolved is one alert instance with its timeline; escalation is announced, the rest per settings', async () => {
    const hook = await startReceiver();
    const { id } = await monitoredProject(t, o);
    await t.call('PUT', `/projects/${id}/notifications`, { token: o.token, body: { webhook_url: hook.url } });
    await putRules(id, [
      { rule: 'latency_p95_high', threshold: 800, warning: 500, recovery: { critical: 650, warning: 450 }, window_min: 1 },
    ]);
    const T = yesterday(4);
    const blocks = [400, 600, 900, 700, 550, 470, 300];
    await store(
      t,
      series(id, 'prod', T, blocks.length * 4, (i) => ({ latency_p95: blocks[Math.floor(i / 4)] })),
    );
    const levels: (string | null)[] = [];
    for (let k = 0; k < blocks.length; k++) {
      const now = at(T, 60 * k + 50);
      await evaluator.evaluate(now);
      await t.app.get(NotificationDispatcher).processDue(now);
      const open = (await alerts(id, 'latency_p95_high')).find((a: { state: string }) => a.state === 'firing');
      levels.push(open?.level ?? null);
    }
    // 400 nothing, 600 warning, 900 critical, 700 holds critical (> 650), 550 steps down (> 450), 470 holds warning, 300 resolves.
    expect(levels).toEqual([null, 'warning', 'critical', 'critical', 'warning', 'warning', null]);
    const [alert, ...others] = await alerts(id, 'latency_p95_high');
    expect(others).toHaveLength(0);
    expect(alert.resolved_at.getTime()).toBe(at(T, 60 * 6 + 50).getTime());

    const history = await t.db.query(`SELECT kind, level, value, at FROM alert_events WHERE alert_id = $1 ORDER BY id`, [alert.id]);
    // each entry carries the mean measured at that evaluation: the resolution shows the value that ended it
    expect(history.rows.map((e: { kind: string; level: string; value: number }) => `${e.kind}:${e.level}:${e.value}`)).toEqual([
      'opened:warning:600',
      'escalated:critical:900',
      'deescalated:warning:550',
      'resolved:warning:300',
    ]);
    // Opening (warning), escalation (critical) and resolution were posted; the step down was not.
    const posted = hook.received.map((r) => JSON.parse(r.body));
    expect(posted.map((p) => `${p.type}:${p.level}`)).toEqual(['alert.firing:warning', 'alert.firing:critical', 'alert.resolved:warning']);
    expect(new Set(posted.map((p) => p.alert.id))).toEqual(new Set([alert.id]));
    expect(posted[1].alert).toMatchObject({ threshold: 800 });
    expect(posted[0].alert).toMatchObject({ level: 'warning', threshold: 500 });
    expect(posted[0].dashboard_url).toContain(`/app/projects/${id}?env=prod&from=`);

    // The history route: filters, level and silenced always present, the timeline with the notifications sent.
    const historyUrl = `/monitoring/enterprise/alert-history?project_id=${id}`;
    const [entry, ...rest] = (await t.call('GET', `${historyUrl}&rule=latency_p95_high&level=warning&state=resolved`, { token: o.token }))
      .body;
    expect(rest).toHaveLength(0);
    expect(entry).toMatchObject({ id: alert.id, level: 'warning', silenced: false, state: 'resolved' });
    type Entry = { kind: string; level?: string; transition?: string; status?: string; channel?: string };
    expect(entry.timeline.filter((e: Entry) => e.kind !== 'notification').map((e: Entry) => `${e.kind}:${e.level}`)).toEqual([
      'opened:warning',
      'escalated:critical',
      'deescalated:warning',
      'resolved:warning',
    ]);
    expect(
      entry.timeline.filter((e: Entry) => e.kind === 'notification').map((e: Entry) => `${e.channel}:${e.transition}:${e.status}`),
    ).toEqual(['webhook:firing:delivered', 'webhook:firing:delivered', 'webhook:resolved:delivered']);
    for (const query of ['&level=critical', '&rule=cpu_high', '&env=staging', '&state=firing']) {
      expect((await t.call('GET', `${historyUrl}${query}`, { token: o.token })).body).toEqual([]);
    }
    for (const query of ['&level=info', '&rule=disk_full', '&limit=0']) {
      expect((await t.call('GET', `${historyUrl}${query}`, { token: o.token })).status).toBe(400);
    }
    await hook.stop();
  });

  it('min_samples: a window with fewer stored samples than required does not fire; max aggregation sees one spike', async () => {
    const { id } = await monitoredProject(t, o);
    await putRules(id, [
      { rule: 'error_rate_high', threshold: 0.05, min_samples: 30 },
      { rule: 'memory_high', threshold: 0.9, aggregation: 'max' },
    ]);
    const T = yesterday(9);
    await store(
      t,
      series(id, 'prod', T, 20, (i) => ({ error_rate: 0.2, memory_usage: i === 10 ? 0.95 : 0.5 })),
    );
    await evaluator.evaluate(at(T, 19 * 15 + 1)); // 20 samples in the 5-minute window: fewer than 30
    const open = (await t.db.query(`SELECT rule FROM alerts WHERE project_id = $1 AND state = 'firing'`, [id])).rows.map(
      (r: { rule: string }) => r.rule,
    );
    expect(open).toEqual(['memory_high']);
  });

  it('refuses settings on the wrong side of their threshold with their own code, and keeps the old rules', async () => {
    const { id } = await monitoredProject(t, o);
    const before = (await t.call('GET', rulesUrl(id), { token: o.token })).body;
    const cases: [unknown, string, string][] = [
      [{ rule: 'cpu_high', threshold: 0.8, recovery: { critical: 0.9 } }, 'recovery_wrong_side', 'rules.0.recovery.critical'],
      [{ rule: 'cpu_high', threshold: 0.8, warning: 0.85 }, 'warning_wrong_side', 'rules.0.warning'],
      [{ rule: 'cpu_high', threshold: 0.8, warning: 0.6, recovery: { warning: 0.65 } }, 'recovery_wrong_side', 'rules.0.recovery.warning'],
      [{ rule: 'cpu_high', threshold: 0.8, recovery: { warning: 0.5 } }, 'setting_not_applicable', 'rules.0.recovery.warning'],
      [{ rule: 'no_data', threshold: 5, window_min: 10 }, 'setting_not_applicable', 'rules.0.window_min'],
      [{ rule: 'no_data', threshold: 5, warning: 4 }, 'setting_not_applicable', 'rules.0.warning'],
      [{ rule: 'cpu_high', threshold: 0.8, warning: 1.5 }, 'validation_failed', 'rules.0.warning'],
      [{ rule: 'cpu_high', threshold: 0.8, window_min: 61 }, 'validation_failed', 'rules.0.window_min'],
      [{ rule: 'cpu_high', threshold: 0.8, aggregation: 'p99' }, 'validation_failed', 'rules.0.aggregation'],
      [{ rule: 'cpu_high', threshold: 0.8, min_samples: 0 }, 'validation_failed', 'rules.0.min_samples'],
    ];
    for (const [rule, code, field] of cases) {
      const res = await t.call('PUT', rulesUrl(id), { token: o.token, body: { rules: [rule] } });
      expect({ rule, status: res.status, code: res.body.code }).toEqual({ rule, status: 400, code });
      expect(JSON.stringify(res.body.details)).toContain(field);
    }
    expect((await t.call('GET', rulesUrl(id), { token: o.token })).body).toEqual(before);
  });
});
