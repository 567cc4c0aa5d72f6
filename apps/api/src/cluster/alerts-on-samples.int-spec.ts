import { Client } from 'pg';
import { ALERT_RULE_DEFAULTS } from '@seqpulse/contracts';
import type { AlertView } from '@seqpulse/contracts';
import { createTestDatabase, startTestApp, TestApp } from '../testing/test-app';
import { ALERT_TEST_ENV, at, monitoredProject, owner, Owner, series, store, windowMean } from '../testing/alert-fixtures';
import { PgBouncer, PGBOUNCER_BINARY, pgbouncerInstalled } from '../testing/pgbouncer';
import { waitFor } from '../testing/fleet';
import { AlertEvaluator } from '../app/alerts/alert-evaluator';
import { ADVISORY_LOCKS } from '../app/database/advisory-locks';
import { StreamHub } from '../app/monitoring/stream-hub';
import type { NewSample } from '../app/samples/samples.store';

/**
 * Alerts evaluated as their samples arrive (each worker evaluates the envs it stored), in the production set-up: two
 * worker processes through PgBouncer in transaction mode. The periodic pass keeps its 15 s interval but is held off
 * (its try-lock taken by the test) where a test must prove that it was not the one that decided.
 */
describe('Alert evaluation on arriving samples (two workers behind PgBouncer, real Postgres)', () => {
  let bouncer: PgBouncer;
  let direct: string;
  let a: TestApp;
  let b: TestApp;
  let o: Owner;
  /** A session holding the periodic pass's try-lock: while it is held, no periodic pass runs anywhere. */
  let holder: Client | null = null;

  beforeAll(async () => {
    if (!pgbouncerInstalled()) throw new Error(`${PGBOUNCER_BINARY} missing: apt-get install pgbouncer (npm test installs it as root)`);
    direct = await createTestDatabase();
    bouncer = new PgBouncer(new URL(direct));
    await bouncer.start();
    const env = {
      ...ALERT_TEST_ENV,
      SEQPULSE_ALERT_EVAL_INTERVAL_S: '15',
      DATABASE_POOL_MODE: 'transaction',
      DATABASE_SESSION_URL: direct,
    };
    [a, b] = await Promise.all([0, 1].map(() => startTestApp(env, { databaseUrl: bouncer.route(direct) })));
    await Promise.all([a, b].map((t) => t.app.get(StreamHub).ready));
    o = await owner(a);
  }, 90_000);
  afterEach(async () => releasePeriodicPass());
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await bouncer?.stop();
  });

  async function holdPeriodicPass(): Promise<void> {
    holder = new Client({ connectionString: direct });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS.alertEvaluation]);
  }

  async function releasePeriodicPass(): Promise<void> {
    const client = holder;
    holder = null;
    if (!client) return;
    await client.query('COMMIT');
    await client.end();
  }

  /** Twenty normal samples over the last five minutes, then one with error_rate 1: the mean crosses on its arrival. */
  function badSeries(projectId: string): { normal: NewSample[]; bad: NewSample } {
    const now = new Date();
    const normal = series(projectId, 'prod', at(now, -300), 20, () => ({}), 15, 0);
    const bad = series(projectId, 'prod', now, 1, () => ({ error_rate: 1 }), 15, 0)[0];
    expect(windowMean(normal, 'error_rate', now) ?? Infinity).toBeLessThan(ALERT_RULE_DEFAULTS.error_rate_high);
    expect(windowMean([...normal, bad], 'error_rate', now) ?? 0).toBeGreaterThan(ALERT_RULE_DEFAULTS.error_rate_high);
    return { normal, bad };
  }

  const firing = async (projectId: string) =>
    (await a.db.query(`SELECT id, rule, started_at FROM alerts WHERE project_id = $1 AND state = 'firing'`, [projectId])).rows;

  it('opens the alert as the offending sample arrives, with the periodic pass unable to run, once: evaluated by the worker that stored it only', async () => {
    const { id } = await monitoredProject(a, o);
    // which process evaluated this project's envs on arriving samples (the spies call through)
    const spies = [a, b].map((t) => jest.spyOn(t.app.get(AlertEvaluator), 'evaluateEnvs'));
    const evaluations = (i: number) => spies[i].mock.calls.filter(([envs]) => envs.some((e) => e.projectId === id)).length;
    await a.db.query(`INSERT INTO notification_settings (project_id, webhook_url) VALUES ($1, 'http://127.0.0.1:9/hook')`, [id]);
    const { normal, bad } = badSeries(id);
    await holdPeriodicPass();
    const passesBefore = await periodicPasses();
    await store(a, normal);
    // The process that stored the normal samples evaluates them: nothing fires.
    await new Promise((r) => setTimeout(r, 500));
    expect(await firing(id)).toEqual([]);
    expect([evaluations(0), evaluations(1)]).toEqual([1, 0]);

    const storedAt = Date.now();
    await store(b, [bad]);
    const [alert] = await waitFor('the alert', async () => (await firing(id)).length > 0 && firing(id), 5_000, 20);
    expect(alert.rule).toBe('error_rate_high');
    expect(alert.started_at.getTime()).toBeGreaterThanOrEqual(storedAt - 50);
    expect(alert.started_at.getTime()).toBeLessThan(storedAt + 5_000);
    expect(await periodicPasses()).toBe(passesBefore);

    // Only the process that stored it evaluated it; one alert, one `opened` entry, one notification queued.
    await new Promise((r) => setTimeout(r, 500));
    expect([evaluations(0), evaluations(1)]).toEqual([1, 1]);
    spies.forEach((spy) => spy.mockRestore());
    expect(await firing(id)).toHaveLength(1);
    const { rows: events } = await a.db.query(`SELECT kind FROM alert_events WHERE alert_id = $1`, [alert.id]);
    expect(events.map((e) => e.kind)).toEqual(['opened']);
    const { rows: outbox } = await a.db.query(`SELECT count(*)::int AS n FROM notification_deliveries WHERE alert_id = $1`, [alert.id]);
    expect(outbox[0].n).toBe(1);
  }, 30_000);

  it('many evaluations of the same env at once in two processes (and the periodic pass) open one alert', async () => {
    const { id } = await monitoredProject(a, o);
    const { normal, bad } = badSeries(id);
    await store(a, [...normal, bad]);
    const evaluators = [a, b].map((t) => t.app.get(AlertEvaluator));
    const results = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => evaluators[i % 2].evaluateEnvs([{ projectId: id, env: 'prod' }])),
      evaluators[0].evaluate(),
      evaluators[1].evaluate(),
    ]);
    const alerts = await firing(id);
    expect(alerts).toHaveLength(1);
    const opened = results.flatMap((r) => r.fired).filter((f) => f.id === alerts[0].id);
    expect(opened.map((f) => f.rule)).toEqual(['error_rate_high']);
  }, 30_000);

  it('leaves what no sample triggers to the periodic pass: a silent env resolves its alert for lack of samples and fires no_data', async () => {
    const { id } = await monitoredProject(a, o);
    const { normal, bad } = badSeries(id);
    await store(a, [...normal, bad]);
    await waitFor('the alert', async () => (await firing(id)).length > 0, 5_000, 20);
    // Nothing arrives for six minutes: only the periodic pass (here at that moment, explicitly) decides.
    const later = at(bad.collectedAt, 360);
    let pass = await a.app.get(AlertEvaluator).evaluate(later);
    while (!pass.ran) pass = await a.app.get(AlertEvaluator).evaluate(later); // a background pass held the lock
    const ids = new Set((await a.db.query(`SELECT id FROM alerts WHERE project_id = $1`, [id])).rows.map((r) => r.id));
    const mine = (list: AlertView[]) => list.filter((x) => ids.has(x.id)).map((x) => [x.rule, x.resolution_reason ?? null]);
    expect(mine(pass.resolved)).toEqual([['error_rate_high', 'no_samples_in_window']]);
    expect(mine(pass.fired)).toEqual([['no_data', null]]);
  }, 30_000);

  async function periodicPasses(): Promise<number> {
    const { rows } = await a.db.query(`SELECT count(*)::int AS n FROM analysis_runs WHERE kind = 'alerts'`);
    return rows[0].n;
  }
});
