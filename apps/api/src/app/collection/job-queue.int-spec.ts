import { startTestApp, TestApp, TEST_ADMIN } from '../../testing/test-app';
import { JobQueue, MISSED_BACKFILL_S } from './job-queue';

/** The lease queue against a real Postgres (API-only process, so no tick interferes: the test drives each step). */
describe('JobQueue leases', () => {
  let t: TestApp;
  let queue: JobQueue;
  let admin: string;
  let token: string;
  const pilots: string[] = [];

  /** A project monitored through the plan and the rollout's pilot list, with its leases. */
  async function monitored(envs: string[]): Promise<string> {
    const body = { name: `Q${pilots.length}`, envs: ['prod'], metrics_endpoint: 'https://8.8.8.8/m', poll_interval_s: 15 };
    const id = (await t.call('POST', '/projects', { token, body })).body.id;
    await t.call('PUT', `/admin/projects/${id}/plan`, { token: admin, body: { plan: 'enterprise' } });
    expect((await t.call('PATCH', `/projects/${id}`, { token, body: { envs } })).status).toBe(200);
    pilots.push(id);
    await t.call('PUT', '/admin/rollout', { token: admin, body: { stage: 'pilot', pilot_project_ids: pilots } });
    await queue.syncLeases();
    return id;
  }

  async function lease(id: string, env = 'prod') {
    const { rows } = await t.db.query(`SELECT * FROM poll_leases WHERE project_id = $1 AND env = $2`, [id, env]);
    return rows[0];
  }

  async function failedSlots(id: string): Promise<{ slot: number; last_error: string }[]> {
    const { rows } = await t.db.query(`SELECT slot_at, last_error FROM jobs WHERE project_id = $1 AND state = 'failed' ORDER BY slot_at`, [
      id,
    ]);
    return rows.map((r) => ({ slot: new Date(r.slot_at).getTime(), last_error: r.last_error }));
  }

  beforeAll(async () => {
    t = await startTestApp({ SEQPULSE_ROLE: 'api' });
    queue = t.app.get(JobQueue);
    admin = await t.login(TEST_ADMIN.email, TEST_ADMIN.password);
    token = (await t.signupAndLogin()).token;
  });
  afterAll(() => t.close());

  it('gives each monitored env one lease at its next grid slot, and removes idle leases of targets no longer monitored', async () => {
    const before = Date.now();
    const id = await monitored(['prod', 'staging']);
    const prod = await lease(id);
    const slot = new Date(prod.next_slot_at).getTime();
    expect(slot).toBeGreaterThanOrEqual(before - 1000);
    expect(slot).toBeLessThan(Date.now() + 15_000);
    expect(prod).toMatchObject({ state: 'idle', attempts: 0, interval_s: 15 });
    expect((slot - prod.offset_ms) % 15_000).toBe(0);
    expect(await queue.syncLeases()).toEqual({ added: 0, removed: 0 }); // idempotent
    await t.call('PATCH', `/projects/${id}`, { token, body: { envs: ['prod'] } });
    expect(await queue.syncLeases()).toEqual({ added: 0, removed: 1 });
    expect(await lease(id, 'staging')).toBeUndefined();
    expect(new Date((await lease(id)).next_slot_at).getTime()).toBe(slot);
  });

  it('hands each due slot to one worker only, even when workers claim at the same moment', async () => {
    const ids = [await monitored(['prod']), await monitored(['prod']), await monitored(['prod'])];
    await t.db.query(`UPDATE poll_leases SET run_after = now() - interval '1 second', next_slot_at = now() - interval '1 second'`);
    const [a, b] = await Promise.all([queue.claim('worker-a', 100, 15, 30), queue.claim('worker-b', 100, 15, 30)]);
    const keys = [...a.jobs, ...b.jobs].map((j) => `${j.projectId}/${j.env}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const id of ids) expect(keys).toContain(`${id}/prod`);
    expect((await queue.claim('worker-c', 100, 15, 30)).jobs).toEqual([]);
    await t.db.query(
      `UPDATE poll_leases SET state = 'idle', locked_by = NULL, lease_until = NULL, next_slot_at = now() + interval '1 hour'`,
    );
  });

  it('retries within the slot, then advances the lease to the next slot and counts the poll', async () => {
    const id = await monitored(['prod']);
    await t.db.query(
      `UPDATE poll_leases SET run_after = next_slot_at - interval '15 seconds', next_slot_at = next_slot_at - interval '15 seconds' WHERE project_id = $1`,
      [id],
    );
    const slot = new Date((await lease(id)).next_slot_at);
    const [first] = (await queue.claim('w', 100, 15, 30)).jobs.filter((j) => j.projectId === id);
    expect(first).toMatchObject({ slotAt: slot, attempts: 1 });
    const retryAt = new Date(Date.now() + 200);
    const key = { projectId: id, env: 'prod', slotAt: slot };
    await queue.complete('w', [{ ...key, attempt: 1, ok: false, durationMs: 5, lagMs: 40, error: 'timeout', retryAt }]);
    expect(await lease(id)).toMatchObject({ state: 'idle', attempts: 1, next_slot_at: slot, run_after: retryAt, locked_by: null });
    expect((await queue.claim('w', 100, 15, 30)).jobs).toEqual([]); // not before its retry time
    const [second] = (await queue.claim('w', 100, 15, 30, 1000)).jobs.filter((j) => j.projectId === id);
    expect(second).toMatchObject({ slotAt: slot, attempts: 2 });
    await queue.complete('other-worker', [{ ...key, attempt: 2, ok: true, durationMs: 7, lagMs: 900 }]); // not its lease
    expect((await lease(id)).state).toBe('running');
    const succeededBefore = (await queue.figures()).succeeded_15m;
    await queue.complete('w', [{ ...key, attempt: 2, ok: true, durationMs: 7, lagMs: 900 }]);
    const after = await lease(id);
    expect(after).toMatchObject({ state: 'idle', attempts: 0 });
    expect(new Date(after.next_slot_at).getTime()).toBe(slot.getTime() + 15_000);
    expect(new Date(after.run_after).getTime()).toBe(slot.getTime() + 15_000);
    expect((await queue.figures()).succeeded_15m).toBe(succeededBefore + 1);
    expect(await failedSlots(id)).toEqual([]);
  });

  it('keeps a slot that failed for good as a failed job and advances the lease', async () => {
    const id = await monitored(['prod']);
    await t.db.query(
      `UPDATE poll_leases SET run_after = now(), next_slot_at = next_slot_at - interval '15 seconds' WHERE project_id = $1`,
      [id],
    );
    const [job] = (await queue.claim('w', 100, 15, 30)).jobs.filter((j) => j.projectId === id);
    const failedBefore = (await queue.figures()).failed;
    await queue.complete('w', [
      { projectId: id, env: 'prod', slotAt: job.slotAt, attempt: 1, ok: false, durationMs: 3, lagMs: 2, error: 'http_status' },
    ]);
    expect(await failedSlots(id)).toEqual([{ slot: job.slotAt.getTime(), last_error: 'http_status' }]);
    expect(new Date((await lease(id)).next_slot_at).getTime()).toBe(job.slotAt.getTime() + 15_000);
    const figures = await queue.figures();
    expect(figures.failed).toBe(failedBefore + 1);
    expect(figures.failed_15m).toBeGreaterThanOrEqual(1);
  });

  it('never claims a slot older than the max age, and fails every slot nobody polled as missed, one row per slot', async () => {
    const id = await monitored(['prod', 'staging']);
    const next = new Date((await lease(id)).next_slot_at).getTime();
    // prod: eight slots behind (an outage of two minutes); staging: its previous slot, still worth polling.
    await t.db.query(
      `UPDATE poll_leases SET next_slot_at = next_slot_at - interval '120 seconds', run_after = next_slot_at - interval '120 seconds'
        WHERE project_id = $1 AND env = 'prod'`,
      [id],
    );
    await t.db.query(
      `UPDATE poll_leases SET next_slot_at = next_slot_at - interval '15 seconds', run_after = next_slot_at - interval '15 seconds'
        WHERE project_id = $1 AND env = 'staging'`,
      [id],
    );
    const beforeExpiry = await queue.claim('w', 100, 15, 30);
    expect(beforeExpiry.jobs.filter((j) => j.projectId === id).map((j) => j.env)).toEqual(['staging']);
    expect(beforeExpiry.lateLeases).toBe(true); // prod's lease waits on a slot too old to poll
    expect(await queue.expireMissedSlots(30)).toBeGreaterThanOrEqual(6);
    const missed = await failedSlots(id);
    expect(missed[0].slot).toBe(next - 120_000);
    expect(missed.slice(1).map((m, i) => m.slot - missed[i].slot)).toEqual(missed.slice(1).map(() => 15_000));
    expect(missed[missed.length - 1].slot).toBeLessThanOrEqual(Date.now() - 30_000);
    expect(missed.map((m) => m.last_error)).toEqual(missed.map(() => 'missed: no worker polled this slot within 30 s'));
    // The lease moved to the first slot still worth polling, right after the last missed one.
    const moved = new Date((await lease(id)).next_slot_at).getTime();
    expect(moved).toBe(missed[missed.length - 1].slot + 15_000);
    expect(moved).toBeGreaterThan(Date.now() - 30_000);
    expect(await queue.expireMissedSlots(30)).toBe(0);
    const afterExpiry = await queue.claim('w', 100, 15, 30, 15_000);
    expect(afterExpiry.jobs.map((j) => j.projectId)).toContain(id);
    expect(afterExpiry.lateLeases).toBe(false);
  });

  it('after a long outage, back-fills missed slots for the last ten minutes only', async () => {
    const id = await monitored(['prod']);
    await t.db.query(
      `UPDATE poll_leases SET next_slot_at = next_slot_at - interval '30 minutes', run_after = next_slot_at - interval '30 minutes' WHERE project_id = $1`,
      [id],
    );
    const missed = await queue.expireMissedSlots(30);
    const slots = await failedSlots(id);
    expect(slots.length).toBe(missed);
    expect(missed).toBeGreaterThanOrEqual((MISSED_BACKFILL_S - 30) / 15 - 1);
    expect(missed).toBeLessThanOrEqual((MISSED_BACKFILL_S - 30) / 15 + 1);
    expect(slots[0].slot).toBeGreaterThanOrEqual(Date.now() - MISSED_BACKFILL_S * 1000 - 1000);
  });

  it('re-queues the lease of a worker that stopped mid-poll while its slot is fresh, and fails it once stale', async () => {
    const id = await monitored(['prod', 'staging']);
    await t.db.query(
      `UPDATE poll_leases SET run_after = now(), next_slot_at = now() - interval '1 second' WHERE project_id = $1 AND env = 'prod'`,
      [id],
    );
    await t.db.query(
      `UPDATE poll_leases SET run_after = now(), next_slot_at = next_slot_at - interval '30 seconds' WHERE project_id = $1 AND env = 'staging'`,
      [id],
    );
    const claimed = (await queue.claim('dead-worker', 100, 0, 30)).jobs.filter((j) => j.projectId === id);
    expect(claimed).toHaveLength(2);
    expect((await queue.figures()).stuck_running).toBeGreaterThanOrEqual(2);
    const requeuedBefore = (await queue.figures()).requeued;
    // (leases other tests left running are reaped too)
    const reaped = await queue.reapExpiredLeases('reaper', 0);
    expect(reaped.requeued).toBeGreaterThanOrEqual(1);
    expect(reaped.failed).toBeGreaterThanOrEqual(1);
    const prod = await lease(id, 'prod');
    expect(prod).toMatchObject({ state: 'idle', attempts: 1, locked_by: null, lease_until: null });
    expect(new Date(prod.next_slot_at).getTime()).toBe(claimed.find((j) => j.env === 'prod')!.slotAt.getTime());
    const staging = claimed.find((j) => j.env === 'staging')!;
    expect(new Date((await lease(id, 'staging')).next_slot_at).getTime()).toBe(staging.slotAt.getTime() + 15_000);
    expect(await failedSlots(id)).toEqual([
      { slot: staging.slotAt.getTime(), last_error: 'lease expired: worker dead-worker stopped without finishing' },
    ]);
    const figures = await queue.figures();
    expect(figures.requeued).toBe(requeuedBefore + reaped.requeued + reaped.failed);
    expect(figures.stuck_running).toBe(0);
    // the dead worker's late completion no longer counts
    await queue.complete('dead-worker', [
      { projectId: id, env: 'prod', slotAt: prod.next_slot_at, attempt: 1, ok: true, durationMs: 1, lagMs: 1 },
    ]);
    expect((await lease(id, 'prod')).state).toBe('idle');
    expect(new Date((await lease(id, 'prod')).next_slot_at).getTime()).toBe(new Date(prod.next_slot_at).getTime());
  });
});
