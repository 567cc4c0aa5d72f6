import { ALERT_RULE_DEFAULTS, ALERT_RULES } from '@seqpulse/contracts';
import { startTestApp, TestApp } from '../../testing/test-app';
import { monitoringFixture, MONITORING_FIXTURE_ENV, Fixture } from '../../testing/monitoring-fixture';
import { AlertEvaluator } from './alert-evaluator';
import { ALERT_TEST_ENV, at, series, store, yesterday } from '../../testing/alert-fixtures';

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('Alert routes: rules and history behind the Enterprise gate', () => {
  let t: TestApp;
  let f: Fixture;
  const rulesUrl = (id: string) => `/monitoring/enterprise/alert-rules?project_id=${id}`;

  beforeAll(async () => {
    t = await startTestApp(ALERT_TEST_ENV);
    f = await monitoringFixture(t);
  });
  afterAll(() => t.close());

  it('serves the five rules with the contract defaults', async () => {
    const res = await t.call('GET', rulesUrl(f.enterprise), { token: f.owner.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      project_id: f.enterprise,
      rules: ALERT_RULES.map((rule) => ({ rule, env: null, threshold: ALERT_RULE_DEFAULTS[rule], enabled: true })),
    });
    expect(res.body.rules.map((r: { threshold: number }) => r.threshold)).toEqual([0.01, 500, 0.8, 0.85, 5]);
  });

  it('replaces the rule set with project-wide values and per-env overrides', async () => {
    const res = await t.call('PUT', rulesUrl(f.enterprise), {
      token: f.owner.token,
      body: {
        rules: [
          { rule: 'error_rate_high', threshold: 0.02 },
          { rule: 'latency_p95_high', env: 'staging', threshold: 800 },
          { rule: 'no_data', env: null, threshold: 10 },
          { rule: 'cpu_high', env: 'prod', threshold: 1, enabled: false },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.rules).toEqual([
      { rule: 'error_rate_high', env: null, threshold: 0.02, enabled: true },
      { rule: 'latency_p95_high', env: null, threshold: 500, enabled: true },
      { rule: 'cpu_high', env: null, threshold: 0.8, enabled: true },
      { rule: 'memory_high', env: null, threshold: 0.85, enabled: true },
      { rule: 'no_data', env: null, threshold: 10, enabled: true },
      { rule: 'cpu_high', env: 'prod', threshold: 1, enabled: false },
      { rule: 'latency_p95_high', env: 'staging', threshold: 800, enabled: true },
    ]);
    expect((await t.call('GET', rulesUrl(f.enterprise), { token: f.owner.token })).body).toEqual(res.body);
  });

  it('refuses invalid rule updates with 400 validation_failed and keeps the old rules', async () => {
    const before = (await t.call('GET', rulesUrl(f.enterprise), { token: f.owner.token })).body;
    const invalid: [unknown, string][] = [
      [{ rules: [{ rule: 'error_rate_high', threshold: 1.5 }] }, 'rules.0.threshold'],
      [{ rules: [{ rule: 'cpu_high', threshold: -0.1 }] }, 'rules.0.threshold'],
      [{ rules: [{ rule: 'memory_high', threshold: 2 }] }, 'rules.0.threshold'],
      [{ rules: [{ rule: 'latency_p95_high', threshold: 0 }] }, 'rules.0.threshold'],
      [{ rules: [{ rule: 'latency_p95_high', threshold: -5 }] }, 'rules.0.threshold'],
      [{ rules: [{ rule: 'no_data', threshold: 4 }] }, 'rules.0.threshold'],
      [{ rules: [{ rule: 'no_data', threshold: 11 }] }, 'rules.0.threshold'],
      [{ rules: [{ rule: 'no_data', threshold: 5.5 }] }, 'rules.0.threshold'],
      [
        {
          rules: [
            { rule: 'error_rate_high', threshold: 0.02 },
            { rule: 'no_data', threshold: 3 },
          ],
        },
        'rules.1.threshold',
      ],
      [{ rules: [{ rule: 'error_rate_high', threshold: '0.02' }] }, 'rules.0.threshold'],
      [{ rules: [{ rule: 'error_rate_high' }] }, 'rules.0.threshold'],
      [{ rules: [{ rule: 'disk_full', threshold: 0.5 }] }, 'rules.0.rule'],
      [{ rules: [{ rule: 'cpu_high', env: 'qa', threshold: 0.5 }] }, 'rules.0'],
      [{ rules: [{ rule: 'cpu_high', env: 'PROD!', threshold: 0.5 }] }, 'rules.0.env'],
      [
        {
          rules: [
            { rule: 'cpu_high', threshold: 0.5 },
            { rule: 'cpu_high', env: null, threshold: 0.6 },
          ],
        },
        'rules.1',
      ],
      [{ rules: [{ rule: 'cpu_high', threshold: 0.5, severity: 'high' }] }, 'rules.0.severity'],
      [{ rules: 'all' }, 'rules'],
      [{}, 'rules'],
      [{ rules: [{ rule: 'cpu_high', threshold: 0.5 }], extra: 1 }, 'extra'],
    ];
    for (const [body, field] of invalid) {
      const res = await t.call('PUT', rulesUrl(f.enterprise), { token: f.owner.token, body });
      expect({ body, status: res.status, code: res.body?.code }).toEqual({ body, status: 400, code: 'validation_failed' });
      expect(res.body.details.fields.map((x: { field: string }) => x.field)).toContain(field);
    }
    const malformed = await t.call('PUT', rulesUrl(f.enterprise), { token: f.owner.token, body: '{"rules": [' });
    expect(malformed.status).toBe(400);
    expect((await t.call('GET', rulesUrl(f.enterprise), { token: f.owner.token })).body).toEqual(before);
  });

  it('needs alerts:write to change rules and monitoring:read to read them; goes through the gate in the contract order', async () => {
    const readOnly = await f.key(['monitoring:read']);
    const writer = await f.key(['monitoring:read', 'alerts:write']);
    const writeOnly = await f.key(['alerts:write']);
    const body = { rules: [{ rule: 'cpu_high', threshold: 0.9 }] };
    expect((await t.call('GET', rulesUrl(f.enterprise), { apiKey: readOnly })).status).toBe(200);
    expect((await t.call('PUT', rulesUrl(f.enterprise), { apiKey: readOnly, body })).body.code).toBe('insufficient_scope');
    expect((await t.call('GET', rulesUrl(f.enterprise), { apiKey: writeOnly })).body.code).toBe('insufficient_scope');
    const ok = await t.call('PUT', rulesUrl(f.enterprise), { apiKey: writer, body });
    expect(ok.status).toBe(200);
    expect(ok.body.rules.find((r: { rule: string; env: string | null }) => r.rule === 'cpu_high' && r.env === null).threshold).toBe(0.9);

    for (const url of [rulesUrl, (id: string) => `/monitoring/enterprise/alerts?project_id=${id}`]) {
      expect((await t.call('GET', url(f.free), { token: f.owner.token })).body.code).toBe('plan_not_enterprise');
      expect((await t.call('GET', url(f.outside), { token: f.owner.token })).body.code).toBe('monitoring_not_enabled');
      expect((await t.call('GET', url(f.enterprise), { token: f.stranger.token })).body.code).toBe('project_not_found');
      expect((await t.call('GET', url(f.enterprise))).status).toBe(401);
    }
    // A free project with an invalid body is refused by the gate first.
    expect(
      (await t.call('PUT', rulesUrl(f.free), { token: f.owner.token, body: { rules: [{ rule: 'no_data', threshold: 99 }] } })).body.code,
    ).toBe('plan_not_enterprise');
    expect((await t.call('GET', '/monitoring/enterprise/alert-rules', { token: f.owner.token })).status).toBe(400);

    // Access records are written in batches (every 250 ms): wait for them.
    const recorded = async () => {
      const audit = await t.call('GET', `/admin/audit?project_id=${f.enterprise}&limit=1000`, { token: f.admin });
      const records = (audit.status === 200 ? audit.body : []) as { route: string; status: number }[];
      return (
        records.some((r) => r.route.includes('alert-rules') && r.status === 403) &&
        records.some((r) => r.route.includes('alert-rules') && r.status === 200)
      );
    };
    let seen = await recorded();
    for (let i = 0; i < 40 && !seen; i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await recorded();
    }
    expect(seen).toBe(true);
  });

  it('documents the alert and notification routes in the OpenAPI page', async () => {
    const doc = (await t.call('GET', '/docs/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/monitoring/enterprise/alerts',
        '/monitoring/enterprise/alert-rules',
        '/projects/{id}/notifications',
        '/projects/{id}/notifications/deliveries',
      ]),
    );
    expect(Object.keys(doc.paths['/monitoring/enterprise/alert-rules'])).toEqual(expect.arrayContaining(['get', 'put']));
    expect(Object.keys(doc.paths['/projects/{id}/notifications'])).toEqual(expect.arrayContaining(['get', 'put']));
  });

  it('lists alert history with state and time-range filters; bad parameters are 400', async () => {
    const evaluator = t.app.get(AlertEvaluator);
    const T0 = yesterday(5);
    await t.call('PUT', rulesUrl(f.enterprise), { token: f.owner.token, body: { rules: [] } });
    await store(t, [
      ...series(f.enterprise, 'prod', T0, 20, () => ({ cpu_usage: 0.95 })),
      ...series(f.enterprise, 'prod', at(T0, 300), 20, () => ({ cpu_usage: 0.2, memory_usage: 0.95 })),
    ]);
    const fire1 = at(T0, 19 * 15 + 1); // cpu fires
    const fire2 = at(T0, 300 + 19 * 15 + 1); // cpu resolved, memory fires
    await evaluator.evaluate(fire1);
    await evaluator.evaluate(fire2);
    const base = `/monitoring/enterprise/alerts?project_id=${f.enterprise}`;
    const all = await t.call('GET', base, { token: f.owner.token });
    expect(all.status).toBe(200);
    const mine = all.body.filter((a: { rule: string }) => a.rule !== 'no_data');
    expect(mine).toEqual([
      {
        id: expect.any(String),
        rule: 'memory_high',
        env: 'prod',
        state: 'firing',
        value: 0.95,
        threshold: 0.85,
        started_at: iso(fire2),
        resolved_at: null,
        resolution_reason: null,
      },
      {
        id: expect.any(String),
        rule: 'cpu_high',
        env: 'prod',
        state: 'resolved',
        value: expect.any(Number),
        threshold: 0.8,
        started_at: iso(fire1),
        resolved_at: iso(fire2),
        resolution_reason: 'recovered',
      },
    ]);
    const firing = await t.call('GET', `${base}&state=firing`, { token: f.owner.token });
    expect(firing.body.map((a: { rule: string }) => a.rule).filter((r: string) => r !== 'no_data')).toEqual(['memory_high']);
    const resolved = await t.call('GET', `${base}&state=resolved&from=${iso(at(fire1, -60))}&to=${iso(at(fire2, 60))}`, {
      token: f.owner.token,
    });
    expect(resolved.body.map((a: { rule: string }) => a.rule)).toEqual(['cpu_high']);
    // A range before the first alert started holds none; Unix seconds are accepted.
    const before = await t.call('GET', `${base}&from=${Math.floor(T0.getTime() / 1000) - 3600}&to=${Math.floor(T0.getTime() / 1000)}`, {
      token: f.owner.token,
    });
    expect(before.status).toBe(200);
    expect(before.body).toEqual([]);
    // After cpu resolved, only memory (still open) overlaps.
    const after = await t.call('GET', `${base}&from=${iso(at(fire2, 10))}`, { token: f.owner.token });
    expect(after.body.map((a: { rule: string }) => a.rule).filter((r: string) => r !== 'no_data')).toEqual(['memory_high']);

    for (const query of [
      '&state=open',
      '&from=yesterday',
      `&from=${iso(fire2)}&to=${iso(fire1)}`,
      '&limit=0',
      '&env=PROD',
      '&colour=red',
      '&state=firing&state=resolved',
    ]) {
      const res = await t.call('GET', `${base}${query}`, { token: f.owner.token });
      expect({ query, status: res.status, code: res.body?.code }).toEqual({ query, status: 400, code: 'validation_failed' });
    }
  });
});
