/**
 * Silences and maintenance windows on a real Postgres with real webhook receivers: a muted alert opens and resolves
 * (its history is complete) but sends nothing; a weekly window follows its local time across a daylight-saving change.
 */
import type { TestApp } from '../../testing/test-app';
import { startReceiver } from '../../testing/http-receiver';
import { at, monitoredProject, Owner, series, startAlertTestApp, store, yesterday } from '../../testing/alert-fixtures';
import { NotificationDispatcher } from '../notifications/notification-dispatcher';
import type { AlertEvaluator } from './alert-evaluator';
import { MaintenanceService } from './muting/maintenance.service';

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('silences and maintenance windows (real Postgres, controlled clock)', () => {
  let t: TestApp;
  let evaluator: AlertEvaluator;
  let dispatcher: NotificationDispatcher;
  let o: Owner;

  beforeAll(async () => {
    ({ t, evaluator, o } = await startAlertTestApp());
    dispatcher = t.app.get(NotificationDispatcher);
  });
  afterAll(() => t.close());

  const tick = async (now: Date) => {
    await evaluator.evaluate(now);
    await dispatcher.processDue(now);
  };
  const timeline = async (alertId: string) =>
    (await t.db.query(`SELECT kind FROM alert_events WHERE alert_id = $1 ORDER BY id`, [alertId])).rows.map(
      (r: { kind: string }) => r.kind,
    );

  it('a silenced alert opens and resolves with silenced: true and sends nothing; other rules still notify; ending it early marks it ended, by whom', async () => {
    const hook = await startReceiver();
    const { id } = await monitoredProject(t, o);
    await t.call('PUT', `/projects/${id}/notifications`, { token: o.token, body: { webhook_url: hook.url } });
    const T = yesterday(3);
    const created = await t.call('POST', `/monitoring/enterprise/silences?project_id=${id}`, {
      token: o.token,
      body: {
        env: 'prod',
        rule: 'cpu_high',
        starts_at: iso(at(T, -3600)),
        ends_at: iso(new Date(Date.now() + 3_600_000)),
        comment: 'load test',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      env: 'prod',
      rule: 'cpu_high',
      comment: 'load test',
      state: 'active',
      created_by: expect.stringContaining('@'),
    });

    // cpu and memory high for 5 minutes, then normal.
    await store(t, [
      ...series(id, 'prod', T, 20, () => ({ cpu_usage: 0.95, memory_usage: 0.95 })),
      ...series(id, 'prod', at(T, 300), 25, () => ({})),
    ]);
    await tick(at(T, 19 * 15 + 1));
    await tick(at(T, 300 + 24 * 15 + 1));

    const listed = (await t.call('GET', `/monitoring/enterprise/alerts?project_id=${id}`, { token: o.token })).body;
    const cpu = listed.find((a: { rule: string }) => a.rule === 'cpu_high');
    const memory = listed.find((a: { rule: string }) => a.rule === 'memory_high');
    expect(cpu).toMatchObject({ state: 'resolved', silenced: true, resolution_reason: 'recovered' });
    expect(memory).toMatchObject({ state: 'resolved' });
    expect(memory.silenced).toBeUndefined();
    expect(await timeline(cpu.id)).toEqual(['opened', 'silenced', 'resolved']);
    // Only memory_high was posted: firing and resolved.
    expect(hook.received.map((r) => `${JSON.parse(r.body).alert.rule}:${JSON.parse(r.body).type}`)).toEqual([
      'memory_high:alert.firing',
      'memory_high:alert.resolved',
    ]);

    const pending = await t.call('POST', `/monitoring/enterprise/silences?project_id=${id}`, {
      token: o.token,
      body: {
        starts_at: iso(new Date(Date.now() + 86_400_000)),
        ends_at: iso(new Date(Date.now() + 2 * 86_400_000)),
        comment: 'next release',
      },
    });
    expect(pending.body).toMatchObject({ env: null, rule: null, state: 'pending' });
    const ended = await t.call('DELETE', `/monitoring/enterprise/silences/${created.body.id}?project_id=${id}`, { token: o.token });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ state: 'ended', ended_by: o.email });
    // ending it again keeps the first end
    const again = await t.call('DELETE', `/monitoring/enterprise/silences/${created.body.id}?project_id=${id}`, { token: o.token });
    expect(again.body).toMatchObject({ state: 'ended', ends_at: ended.body.ends_at, ended_by: o.email });
    const states = (await t.call('GET', `/monitoring/enterprise/silences?project_id=${id}`, { token: o.token })).body.map(
      (s: { id: string; state: string }) => [s.id, s.state],
    );
    expect(states).toEqual(
      expect.arrayContaining([
        [created.body.id, 'ended'],
        [pending.body.id, 'pending'],
      ]),
    );
    await hook.stop();
  });

  it('silences: ownership (404), scope (403), maximum duration and matchers are checked', async () => {
    const { id } = await monitoredProject(t, o);
    const url = `/monitoring/enterprise/silences?project_id=${id}`;
    const body = { starts_at: iso(new Date()), ends_at: iso(new Date(Date.now() + 3_600_000)), comment: 'x' };
    const stranger = await t.signupAndLogin();
    const foreign = await t.call('POST', url, { token: stranger.token, body });
    expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 404, code: 'project_not_found' });
    expect((await t.call('GET', url, { token: stranger.token })).status).toBe(404);
    const readOnly = await t.call('POST', '/api-keys', { token: o.token, body: { name: 'ro', scopes: ['monitoring:read'] } });
    const refused = await t.call('POST', url, { apiKey: readOnly.body.key, body });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'insufficient_scope' });
    expect((await t.call('GET', url, { apiKey: readOnly.body.key })).status).toBe(200);

    const tooLong = await t.call('POST', url, { token: o.token, body: { ...body, ends_at: iso(new Date(Date.now() + 31 * 86_400_000)) } });
    expect({ status: tooLong.status, code: tooLong.body.code }).toEqual({ status: 400, code: 'silence_too_long' });
    for (const bad of [
      { ...body, env: 'staging' },
      { ...body, rule: 'disk_full' },
      { ...body, ends_at: body.starts_at },
      { ...body, comment: undefined },
      { ...body, starts_at: 'tomorrow' },
    ]) {
      const res = await t.call('POST', url, { token: o.token, body: bad });
      expect({ bad, status: res.status, code: res.body.code }).toEqual({ bad, status: 400, code: 'validation_failed' });
    }
    const own = await t.call('POST', url, { token: o.token, body });
    const other = await monitoredProject(t, o);
    const wrongProject = await t.call('DELETE', `/monitoring/enterprise/silences/${own.body.id}?project_id=${other.id}`, {
      token: o.token,
    });
    expect(wrongProject.status).toBe(404);
    expect((await t.call('DELETE', `/monitoring/enterprise/silences/nope?project_id=${id}`, { token: o.token })).status).toBe(404);
  });

  it('a weekly Sunday 09:00 Europe/Berlin window silences at 08:00Z after the October change (07:00Z before it)', async () => {
    const hook = await startReceiver();
    const { id } = await monitoredProject(t, o);
    await t.call('PUT', `/projects/${id}/notifications`, { token: o.token, body: { webhook_url: hook.url } });
    const created = await t.call('POST', `/monitoring/enterprise/maintenance-windows?project_id=${id}`, {
      token: o.token,
      body: {
        rrule: 'FREQ=WEEKLY;BYDAY=SU',
        starts_at: '2026-10-18T07:00:00Z',
        duration_min: 60,
        time_zone: 'Europe/Berlin',
        comment: 'db upgrade',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ rrule: 'FREQ=WEEKLY;BYDAY=SU', time_zone: 'Europe/Berlin', duration_min: 60 });
    expect(created.body.next_occurrences).toHaveLength(5);

    // The expansion task at a clock before the change: concrete intervals for the next three weeks.
    await t.app.get(MaintenanceService).expandAll(new Date('2026-10-17T00:00:00Z'), 20 * 86_400_000);
    const intervals = await t.db.query(`SELECT starts_at, ends_at FROM maintenance_intervals WHERE project_id = $1 ORDER BY starts_at`, [
      id,
    ]);
    expect(intervals.rows.slice(0, 3).map((r: { starts_at: Date }) => r.starts_at.toISOString())).toEqual([
      '2026-10-18T07:00:00.000Z',
      '2026-10-25T08:00:00.000Z',
      '2026-11-01T08:00:00.000Z',
    ]);

    // The env never sends a sample: no_data opens at 07:50Z (08:50 local, outside), is silenced at 08:05Z, not at 09:01Z.
    const silencedAt = async (now: string) => {
      await tick(new Date(now));
      const [alert] = (await t.db.query(`SELECT id, state, silenced FROM alerts WHERE project_id = $1 AND rule = 'no_data'`, [id])).rows;
      return alert;
    };
    expect(await silencedAt('2026-10-25T07:40:00Z')).toBeUndefined(); // monitoring starts
    expect(await silencedAt('2026-10-25T07:50:00Z')).toMatchObject({ state: 'firing', silenced: false });
    expect(await silencedAt('2026-10-25T08:05:00Z')).toMatchObject({ state: 'firing', silenced: true });
    const after = await silencedAt('2026-10-25T09:01:00Z');
    expect(after).toMatchObject({ state: 'firing', silenced: false });
    expect(await timeline(after.id)).toEqual(['opened', 'silenced', 'unsilenced']);
    // Announced once when it opened; the end of the window does not announce it again.
    expect(hook.received).toHaveLength(1);

    // The charts ask for the occurrences of their range, past ones included, in local time across the change.
    const listUrl = `/monitoring/enterprise/maintenance-windows?project_id=${id}`;
    const ranged = await t.call('GET', `${listUrl}&from=2026-10-17T00:00:00Z&to=2026-11-02T00:00:00Z`, { token: o.token });
    expect(ranged.status).toBe(200);
    expect(ranged.body[0].occurrences).toEqual([
      { starts_at: '2026-10-18T07:00:00Z', ends_at: '2026-10-18T08:00:00Z' },
      { starts_at: '2026-10-25T08:00:00Z', ends_at: '2026-10-25T09:00:00Z' },
      { starts_at: '2026-11-01T08:00:00Z', ends_at: '2026-11-01T09:00:00Z' },
    ]);
    expect((await t.call('GET', listUrl, { token: o.token })).body[0]).not.toHaveProperty('occurrences');
    for (const [query, field] of [
      ['&from=2026-10-17T00:00:00Z', 'to'],
      ['&from=2026-11-02T00:00:00Z&to=2026-10-17T00:00:00Z', 'from'],
      ['&from=2025-01-01T00:00:00Z&to=2026-10-17T00:00:00Z', 'to'],
      ['&from=yesterday&to=2026-10-17T00:00:00Z', 'from'],
    ]) {
      const bad = await t.call('GET', `${listUrl}${query}`, { token: o.token });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain(field);
    }

    const removed = await t.call('DELETE', `/monitoring/enterprise/maintenance-windows/${created.body.id}?project_id=${id}`, {
      token: o.token,
    });
    expect(removed.status).toBe(204);
    expect((await t.db.query(`SELECT 1 FROM maintenance_intervals WHERE project_id = $1`, [id])).rows).toHaveLength(0);
    expect((await t.call('GET', `/monitoring/enterprise/maintenance-windows?project_id=${id}`, { token: o.token })).body).toEqual([]);
    await hook.stop();
  });

  it('an alert that opens inside a one-off window is announced when the window ends; bad windows are refused', async () => {
    const hook = await startReceiver();
    const { id } = await monitoredProject(t, o);
    await t.call('PUT', `/projects/${id}/notifications`, { token: o.token, body: { webhook_url: hook.url } });
    const T = yesterday(6);
    const url = `/monitoring/enterprise/maintenance-windows?project_id=${id}`;
    const window = { starts_at: iso(at(T, -600)), duration_min: 15, time_zone: 'UTC', comment: 'deploy' };
    expect((await t.call('POST', url, { token: o.token, body: window })).status).toBe(201);
    await t.app.get(MaintenanceService).expandAll(at(T, -3600));
    await store(
      t,
      series(id, 'prod', T, 40, () => ({ cpu_usage: 0.95 })),
    );
    await tick(at(T, 19 * 15 + 1)); // inside the window (ends at T + 300 s)
    expect(hook.received).toHaveLength(0);
    await tick(at(T, 20 * 15 + 1)); // after it
    expect(hook.received.map((r) => JSON.parse(r.body).type)).toEqual(['alert.firing']);

    for (const [bad, code] of [
      [{ ...window, rrule: 'FREQ=MINUTELY' }, 'invalid_rrule'],
      [{ ...window, rrule: 'FREQ=WEEKLY;BYDAY=XY' }, 'invalid_rrule'],
      [{ ...window, time_zone: 'Mars/Olympus' }, 'validation_failed'],
      [{ ...window, duration_min: 0 }, 'validation_failed'],
      [{ ...window, duration_min: 1441 }, 'validation_failed'],
    ] as const) {
      const res = await t.call('POST', url, { token: o.token, body: bad });
      expect({ bad, status: res.status, code: res.body.code }).toEqual({ bad, status: 400, code });
    }
    await hook.stop();
  });
});
