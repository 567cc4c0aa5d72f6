import { startTestApp, TestApp, TEST_ADMIN } from '../../testing/test-app';
import { ENQUEUE_LOOKAHEAD_S, JobQueue } from './job-queue';

/** The job queue's slot expiry against a real Postgres (API-only process, so no tick interferes). */
describe('JobQueue missed slots', () => {
  let t: TestApp;
  let queue: JobQueue;
  let projectId: string;

  beforeAll(async () => {
    t = await startTestApp({ SEQPULSE_ROLE: 'api' });
    queue = t.app.get(JobQueue);
    const { token } = await t.signupAndLogin();
    projectId = (
      await t.call('POST', '/projects', { token, body: { name: 'Q', envs: ['prod', 'staging'], metrics_endpoint: 'https://8.8.8.8/m' } })
    ).body.id;
  });
  afterAll(() => t.close());

  it('never claims a poll whose slot is older than the max age, and fails it as missed', async () => {
    const { rows } = await t.db.query(
      `INSERT INTO jobs (kind, project_id, env, slot_at, run_after)
       VALUES ('poll', $1, 'prod', now() - interval '2 minutes', now() - interval '2 minutes'),
              ('poll', $1, 'staging', now() - interval '3 seconds', now() - interval '3 seconds')
       RETURNING id, env`,
      [projectId],
    );
    const claimed = await queue.claim('test-worker', 10, 15, 30);
    expect(claimed.map((j) => j.env)).toEqual(['staging']);
    expect(await queue.expireMissedSlots(30)).toBe(1);
    const old = rows.find((r) => r.env === 'prod');
    const {
      rows: [job],
    } = await t.db.query(`SELECT state, attempts, last_error FROM jobs WHERE id = $1`, [old.id]);
    expect(job).toEqual({ state: 'failed', attempts: 0, last_error: 'missed: no worker polled this slot within 30 s' });
    expect(await queue.expireMissedSlots(30)).toBe(0);
  });

  it('after an outage, fills in the slots nobody enqueued so that they fail as missed', async () => {
    const admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
    const { token } = await t.signupAndLogin();
    const body = { name: 'B', envs: ['prod'], metrics_endpoint: 'https://8.8.8.8/m', poll_interval_s: 15 };
    const id = (await t.call('POST', '/projects', { token, body })).body.id;
    await t.call('PUT', `/admin/projects/${id}/plan`, { token: admin, body: { plan: 'enterprise' } });
    await t.call('PUT', '/admin/rollout', { token: admin, body: { stage: 'pilot', pilot_project_ids: [id] } });
    // The last slot enqueued before the outage, 70 s ago.
    const {
      rows: [{ last, last_id }],
    } = await t.db.query(
      `INSERT INTO jobs (kind, project_id, env, slot_at, run_after, state, finished_at)
       VALUES ('poll', $1, 'prod', now() - interval '70 seconds', now() - interval '70 seconds', 'succeeded', now()) RETURNING slot_at AS last, id AS last_id`,
      [id],
    );
    const slots = async () =>
      (await t.db.query(`SELECT slot_at FROM jobs WHERE project_id = $1 AND id <> $2 ORDER BY slot_at`, [id, last_id])).rows.map((r) =>
        new Date(r.slot_at).getTime(),
      );

    const tick = Date.now();
    await queue.enqueueDuePolls(0);
    expect((await slots()).filter((s) => s < tick - 1_000)).toEqual([]); // a normal tick only adds the next slot
    await queue.enqueueDuePolls(600);
    const filled = await slots();
    expect(filled.length).toBeGreaterThanOrEqual(4); // 70 s at 15 s, and the next slot if it is within the lookahead
    expect(filled[0] - last.getTime()).toBeLessThanOrEqual(15_000);
    expect(filled.slice(1).map((s, i) => s - filled[i])).toEqual(filled.slice(1).map(() => 15_000));
    expect(filled[filled.length - 1]).toBeLessThan(Date.now() + ENQUEUE_LOOKAHEAD_S * 1000);
    expect(await queue.enqueueDuePolls(600)).toBeLessThanOrEqual(1); // idempotent (but for a slot that just came due)

    expect(await queue.expireMissedSlots(30)).toBeGreaterThanOrEqual(2);
    const { rows: missed } = await t.db.query(
      `SELECT last_error FROM jobs WHERE project_id = $1 AND id <> $2 AND slot_at < now() - interval '30 seconds'`,
      [id, last_id],
    );
    expect(missed.map((r) => r.last_error)).toEqual(missed.map(() => 'missed: no worker polled this slot within 30 s'));
  });
});
