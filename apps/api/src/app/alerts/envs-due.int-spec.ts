/**
 * The evaluation of arriving samples first asks which envs have anything to write (`ENVS_DUE_SQL`, read-only, one
 * round trip) and runs the writing statement for those only. On a real Postgres with a scripted, varied fleet (levels,
 * hysteresis, 1-minute windows, a silence starting mid-run, re-notification, envs seen for the first time), the
 * envs it names are exactly those the writing statement writes for, at every step.
 */
import { Client } from 'pg';
import type { TestApp } from '../../testing/test-app';
import { at, monitoredProject, Owner, series, startAlertTestApp, store, yesterday } from '../../testing/alert-fixtures';
import type { AlertEvaluator, EnvRef } from './alert-evaluator';
import { seededRandom } from '../../testing/seeded-random';
import { ENVS_DUE_SQL, EVALUATE_ENVS_SQL } from './evaluation-sql';

const iso = (d: Date) => d.toISOString();

describe('envs due for an evaluation of arriving samples (real Postgres, controlled clock)', () => {
  let t: TestApp;
  let evaluator: AlertEvaluator;
  let o: Owner;

  beforeAll(async () => ({ t, evaluator, o } = await startAlertTestApp()));
  afterAll(() => t.close());

  const key = (e: { projectId?: string; project_id?: string; env: string }) => `${e.projectId ?? e.project_id} ${e.env}`;
  const params = (now: Date, envs: EnvRef[]) => [now, envs.map((e) => e.projectId), envs.map((e) => e.env)];

  /** What the writing statement writes at `now`, rolled back: the envs of its transitions and of its first sightings. */
  async function writtenFor(now: Date, envs: EnvRef[]): Promise<{ envs: Set<string>; transitions: string[] }> {
    const client = await t.db.connect();
    try {
      await client.query('BEGIN');
      const seen = await client.query(`SELECT project_id, env FROM alert_monitored_envs`);
      const known = new Set(seen.rows.map(key));
      const { rows } = await client.query(EVALUATE_ENVS_SQL, params(now, envs));
      const firstSeen = envs.filter((e) => !known.has(key(e))).map(key);
      return { envs: new Set([...rows.map(key), ...firstSeen]), transitions: rows.map((r) => r.transition) };
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  it('names exactly the envs the writing statement writes for, step after step of a varied fleet', async () => {
    const rand = seededRandom(20261201);
    const T = yesterday(7);
    const fleet: EnvRef[] = [];
    for (let i = 0; i < 12; i++) fleet.push({ projectId: (await monitoredProject(t, o)).id, env: 'prod' });
    const ids = fleet.map((e) => e.projectId);
    const rules = (id: string, body: unknown[]) =>
      t.call('PUT', `/monitoring/enterprise/alert-rules?project_id=${id}`, { token: o.token, body: { rules: body } });
    for (const id of ids.slice(0, 4)) {
      const res = await rules(id, [{ rule: 'cpu_high', threshold: 0.8, warning: 0.6, recovery: { critical: 0.7, warning: 0.5 } }]);
      expect(res.status).toBe(200);
    }
    for (const id of ids.slice(4, 6))
      expect((await rules(id, [{ rule: 'cpu_high', threshold: 0.7, window_min: 1, min_samples: 2 }])).status).toBe(200);
    for (const id of ids.slice(6, 9)) {
      const res = await t.call('PUT', `/projects/${id}/notifications`, {
        token: o.token,
        body: { webhook_url: 'http://127.0.0.1:9/hook', renotify_min: 1, renotify_max: 3 },
      });
      expect(res.status).toBe(200);
    }
    // A silence on two projects from minute 8 of the run (it must end in the future): open alerts change to silenced.
    for (const id of ids.slice(0, 2)) {
      const res = await t.call('POST', `/monitoring/enterprise/silences?project_id=${id}`, {
        token: o.token,
        body: { env: 'prod', starts_at: iso(at(T, 480)), ends_at: iso(new Date(Date.now() + 3_600_000)), comment: 'step test' },
      });
      expect(res.status).toBe(201);
    }

    // Five minutes of history, then a step every 15 s: one new sample per env (cpu wandering around the levels), the
    // envs due compared with what the writing statement writes, then the evaluation of arriving samples applied.
    const cpu = fleet.map(() => 0.4 + rand() * 0.4);
    const next = (i: number) => (cpu[i] = Math.min(1, Math.max(0, cpu[i] + (rand() - 0.5) * 0.3)));
    await store(
      t,
      fleet.flatMap((e, i) => series(e.projectId, e.env, at(T, -300), 20, () => ({ cpu_usage: next(i) }), 15, 0)),
    );
    const kinds = new Set<string>();
    let emptySteps = 0;
    for (let step = 0; step < 60; step++) {
      const now = at(T, step * 15);
      // the first three envs join later: their first evaluation happens mid-run
      const arriving = fleet.filter((_, i) => i >= 3 || step >= 10);
      await store(
        t,
        arriving.map((e) => series(e.projectId, e.env, now, 1, () => ({ cpu_usage: next(fleet.indexOf(e)) }), 15, 0)[0]),
      );
      const due = new Set((await t.db.query(ENVS_DUE_SQL, params(now, arriving))).rows.map(key));
      const written = await writtenFor(now, arriving);
      expect({ step, due: [...due].sort() }).toEqual({ step, due: [...written.envs].sort() });
      written.transitions.forEach((k) => kinds.add(k));
      if (due.size === 0) emptySteps++;
      const result = await evaluator.evaluateEnvs(arriving, now);
      expect(result.ran).toBe(true);
    }
    // the run went through every kind of write, and through steps with nothing to write
    expect([...kinds].sort()).toEqual(['changed', 'firing', 'resolved']);
    expect(emptySteps).toBeGreaterThan(5);
    const changed = await t.db.query(`SELECT count(*)::int AS n FROM alert_events WHERE kind IN ('silenced', 'escalated', 'renotified')`);
    expect(changed.rows[0].n).toBeGreaterThan(0);
  }, 120_000);

  it('an arriving sample with nothing to write is evaluated in one round trip, one to write opens its alert', async () => {
    const { id } = await monitoredProject(t, o);
    const env = [{ projectId: id, env: 'prod' }];
    const T = yesterday(9);
    await store(
      t,
      series(id, 'prod', at(T, -300), 21, () => ({})),
    );
    await evaluator.evaluateEnvs(env, T); // first sighting: written; the statements are prepared on the connections
    await evaluator.evaluateEnvs(env, at(T, 1));

    const trips = jest.spyOn(Client.prototype, 'query');
    try {
      const quiet = await evaluator.evaluateEnvs(env, at(T, 2));
      expect(quiet).toMatchObject({ ran: true, fired: [], resolved: [] });
      expect(trips).toHaveBeenCalledTimes(1);

      trips.mockClear();
      await store(
        t,
        series(id, 'prod', at(T, 15), 1, () => ({ error_rate: 1 })),
      );
      const crossed = await evaluator.evaluateEnvs(env, at(T, 16));
      expect(crossed.fired.map((a) => a.rule)).toEqual(['error_rate_high']);
      expect(trips.mock.calls.length).toBeGreaterThan(1);
    } finally {
      trips.mockRestore();
    }
  });
});
