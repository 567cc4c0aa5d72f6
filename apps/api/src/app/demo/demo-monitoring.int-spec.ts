/**
 * The demo's projects are monitored only while the demo runs: a database that once ran the demo, started with the
 * demo off, stops polling and alerting on them, and picks them up again when the demo is turned back on.
 */
import { ALERT_TEST_ENV, monitoredProject, owner } from '../../testing/alert-fixtures';
import { startTestApp, TestApp } from '../../testing/test-app';
import { AlertEvaluator } from '../alerts/alert-evaluator';
import { JobQueue } from '../collection/job-queue';

/** Monitored projects by whether they are the demo's. */
async function monitored(t: TestApp): Promise<{ demo: number; other: number }> {
  const { rows } = await t.db.query(
    `SELECT count(*) FILTER (WHERE demo)::int AS demo, count(*) FILTER (WHERE NOT demo)::int AS other
       FROM project_monitoring WHERE monitored`,
  );
  return rows[0];
}

/** Leases after a sync, by whether their project is the demo's. */
async function leases(t: TestApp): Promise<{ demo: number; other: number }> {
  await t.app.get(JobQueue).syncLeases();
  const { rows } = await t.db.query(
    `SELECT count(*) FILTER (WHERE pm.demo)::int AS demo, count(*) FILTER (WHERE NOT pm.demo)::int AS other
       FROM poll_leases l JOIN project_monitoring pm ON pm.project_id = l.project_id`,
  );
  return rows[0];
}

describe('the demo projects follow SEQPULSE_DEMO', () => {
  it('are not polled nor alerted on while the demo is off, and are again once it is back on', async () => {
    // Nothing runs on its own (no evaluation, no notification): the test drives them.
    const demoOn = { ...ALERT_TEST_ENV, SEQPULSE_DEMO: 'true' };
    const first = await startTestApp(demoOn);
    const databaseUrl = first.config.DATABASE_URL as string;
    let demoAlert: string;
    try {
      const o = await owner(first);
      const real = await monitoredProject(first, o);
      await first.call('PUT', '/admin/rollout', { token: o.admin, body: { stage: 'general', pilot_project_ids: [real.id] } });
      const before = await monitored(first);
      expect(before.demo).toBeGreaterThan(0);
      expect(before.other).toBe(1);
      expect((await leases(first)).demo).toBeGreaterThan(0);
      const { rows } = await first.db.query(
        `INSERT INTO alerts (project_id, env, rule, state, value, threshold, started_at)
         SELECT project_id, envs[1], 'no_data', 'firing', 1, 1, now() FROM project_monitoring WHERE demo AND monitored LIMIT 1
         RETURNING id`,
      );
      demoAlert = rows[0].id;
    } finally {
      await first.close();
    }

    const off = await startTestApp({ ...ALERT_TEST_ENV, SEQPULSE_DEMO: 'false' }, { databaseUrl, captureLogs: true });
    try {
      expect(await monitored(off)).toEqual({ demo: 0, other: 1 });
      expect(await leases(off)).toEqual({ demo: 0, other: 1 });
      await off.app.get(AlertEvaluator).evaluate(new Date());
      const alert = await off.db.query(`SELECT state, resolution_reason FROM alerts WHERE id = $1`, [demoAlert]);
      expect(alert.rows[0]).toEqual({ state: 'resolved', resolution_reason: 'monitoring_not_enabled' });
      expect(off.logs.some((line) => line.includes('The demo is off: its projects are no longer monitored'))).toBe(true);
    } finally {
      await off.close();
    }

    const again = await startTestApp(demoOn, { databaseUrl });
    try {
      const after = await monitored(again);
      expect(after.demo).toBeGreaterThan(0);
      expect((await leases(again)).demo).toBeGreaterThanOrEqual(after.demo);
    } finally {
      await again.close();
    }
  });
});
