import { startTestApp, TestApp } from '../../testing/test-app';
import { JobQueue } from './job-queue';

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
});
