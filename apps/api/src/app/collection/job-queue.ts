import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { PreparedStatements } from '../database/prepared-statements';
import { queryRows } from '../database/sql';

export interface ClaimedJob {
  id: string;
  projectId: string;
  env: string;
  slotAt: Date;
  /** When the poll may start (its slot, or its retry time): a claim may take a job a moment before. */
  runAfter: Date;
  attempts: number;
  maxAttempts: number;
}

/** The job system's figures for `/health/scheduler`. */
export interface JobFigures {
  pending: number;
  running: number;
  failed: number;
  stuck_running: number;
  avg_collection_ms: number | null;
  requeued: number;
  succeeded_15m: number;
  failed_15m: number;
  lag_p99: number | null;
}

export interface JobOutcome {
  id: string;
  ok: boolean;
  durationMs: number;
  lagMs: number;
  error?: string;
  /** Failed attempt that may be tried again at this time. */
  retryAt?: Date;
}

/**
 * How far ahead poll slots are enqueued. The enqueue tick runs every ENQUEUE_EVERY_MS: one statement computes the
 * next slot of every monitored target (~35 ms of Postgres for 1,000 targets on the loaded benchmark machine, the
 * largest job statement per poll at a 3 s tick), so it runs every 6 s; the lookahead covers one tick, the claim's
 * own lookahead and a margin. A newly monitored target is first polled at most one tick later than its slot.
 */
export const ENQUEUE_EVERY_MS = 6_000;
export const ENQUEUE_LOOKAHEAD_S = 7;

/**
 * The job system: rows in `jobs`, claimed with leases via `FOR UPDATE SKIP LOCKED`, so any number of
 * worker processes share the work and a (project, env, slot) is polled once. Every statement here
 * is set-based: one round-trip handles a whole batch.
 */
@Injectable()
export class JobQueue {
  /** The enqueue, claim and completion run several times a second in every worker: planned once per connection. */
  private readonly statements: PreparedStatements;

  constructor(
    private readonly db: DataSource,
    config: AppConfig,
  ) {
    this.statements = new PreparedStatements(config);
  }

  /**
   * Inserts the next poll slot of every monitored project/env that falls within the lookahead.
   * Each target gets a fixed offset inside its interval (hash of project and env), so thousands of
   * targets are spread evenly and never fire in the same second. Idempotent: several processes may run it.
   * `backfillS` (after an outage of the database or of every worker, when no process enqueued for a while): also
   * the slots since each target's latest job of the last `backfillS` seconds, so that the slots nobody could poll
   * exist, and fail as `missed:` (expireMissedSlots) instead of leaving a silent hole.
   */
  async enqueueDuePolls(backfillS = 0): Promise<number> {
    const rows = await this.statements.rows(
      this.db,
      `WITH targets AS (
         SELECT pm.project_id, e.env, pm.poll_interval_s AS interval_s,
                (hashtextextended(pm.project_id::text || '/' || e.env, 0) & 2147483647) % (pm.poll_interval_s * 1000) / 1000.0 AS offset_s
           FROM project_monitoring pm CROSS JOIN LATERAL unnest(pm.envs) AS e(env)
          WHERE pm.monitored
       ), latest AS (
         SELECT project_id, env, max(slot_at) AS slot_at FROM jobs
          -- the latest slot that already came due: a plain tick may have enqueued the next (future) one first
          WHERE $2 > 0 AND kind = 'poll' AND slot_at > now() - make_interval(secs => $2) AND slot_at <= now()
          GROUP BY project_id, env
       ), slots AS (
         -- Slot k of a target is at k * interval + offset (epoch seconds); from the first after its latest job, or the next one.
         SELECT t.project_id, t.env, to_timestamp(k * t.interval_s + t.offset_s) AS slot_at
           FROM targets t LEFT JOIN latest l ON l.project_id = t.project_id AND l.env = t.env
          CROSS JOIN LATERAL generate_series(
                  COALESCE(floor((round(extract(epoch FROM l.slot_at), 3) - t.offset_s) / t.interval_s) + 1,
                           ceil((extract(epoch FROM now()) - t.offset_s) / t.interval_s)),
                  ceil((extract(epoch FROM now()) + $1 - t.offset_s) / t.interval_s) - 1) AS k
       )
       INSERT INTO jobs (kind, project_id, env, slot_at, run_after)
       SELECT 'poll', project_id, env, slot_at, slot_at FROM slots
       ON CONFLICT (kind, project_id, env, slot_at) DO NOTHING
       RETURNING id`,
      [ENQUEUE_LOOKAHEAD_S, backfillS],
    );
    return rows.length;
  }

  /** Pending jobs of projects that left the plan, the rollout or an env: never polled. */
  async cancelUnmonitored(): Promise<number> {
    const rows = await queryRows(
      this.db,
      `DELETE FROM jobs j WHERE j.state = 'pending' AND j.kind = 'poll'
          AND NOT EXISTS (SELECT 1 FROM project_monitoring pm WHERE pm.project_id = j.project_id AND j.env = ANY(pm.envs) AND pm.monitored)
       RETURNING id`,
    );
    return rows.length;
  }

  /**
   * Jobs due within `aheadMs` (the caller starts each at its `runAfter`, so claims can be a few a second instead
   * of ten). Polls not claimed until `maxAgeSeconds` after their slot are no longer worth running (their sample
   * would land outside the store's collection lag bound): claims skip them and `expireMissedSlots` fails them visibly.
   */
  async claim(workerId: string, limit: number, leaseSeconds: number, maxAgeSeconds: number, aheadMs = 0): Promise<ClaimedJob[]> {
    if (limit <= 0) return [];
    const rows = await this.statements.rows<{
      id: string;
      project_id: string;
      env: string;
      slot_at: Date;
      run_after: Date;
      attempts: number;
      max_attempts: number;
    }>(
      this.db,
      `UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = now(),
              lease_until = now() + make_interval(secs => $3), locked_by = $1
        WHERE id IN (
          SELECT j.id FROM jobs j
           WHERE j.state = 'pending' AND j.run_after <= now() + make_interval(secs => $5 / 1000.0) AND j.slot_at > now() - make_interval(secs => $4)
           ORDER BY j.run_after
           LIMIT $2
           FOR UPDATE SKIP LOCKED)
        RETURNING id, project_id, env, slot_at, run_after, attempts, max_attempts`,
      [workerId, limit, leaseSeconds, maxAgeSeconds, aheadMs],
    );
    return rows.map((r) => ({
      id: String(r.id),
      projectId: r.project_id,
      env: r.env,
      slotAt: new Date(r.slot_at),
      runAfter: new Date(r.run_after),
      attempts: r.attempts,
      maxAttempts: r.max_attempts,
    }));
  }

  /** Records a batch of outcomes; only the worker holding the lease may finish a job. */
  async complete(workerId: string, outcomes: JobOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.statements.rows(
      this.db,
      `UPDATE jobs j SET
          state = CASE WHEN o.ok THEN 'succeeded' WHEN o.retry_at IS NOT NULL THEN 'pending' ELSE 'failed' END,
          run_after = COALESCE(o.retry_at, j.run_after),
          finished_at = CASE WHEN o.ok OR o.retry_at IS NULL THEN now() END,
          lease_until = NULL, locked_by = NULL,
          duration_ms = o.duration_ms, lag_ms = COALESCE(j.lag_ms, o.lag_ms), last_error = o.error
         FROM unnest($2::bigint[], $3::boolean[], $4::int[], $5::int[], $6::text[], $7::timestamptz[])
           AS o(id, ok, duration_ms, lag_ms, error, retry_at)
        WHERE j.id = o.id AND j.state = 'running' AND j.locked_by = $1`,
      [
        workerId,
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.ok),
        outcomes.map((o) => Math.round(o.durationMs)),
        outcomes.map((o) => Math.round(o.lagMs)),
        outcomes.map((o) => o.error ?? null),
        outcomes.map((o) => o.retryAt ?? null),
      ],
    );
  }

  /**
   * Running jobs whose lease expired more than `graceSeconds` ago belonged to a worker that died or hung.
   * Still-useful ones (their slot is not yet overtaken by the next) go back to pending; the rest fail.
   * The grace keeps them visible as `stuck_running` in /health/scheduler for a moment before.
   */
  async reapExpiredLeases(graceSeconds: number): Promise<{ requeued: number; failed: number }> {
    const rows: { state: string }[] = await queryRows(
      this.db,
      `WITH stuck AS (
         SELECT j.id, j.slot_at + make_interval(secs => COALESCE(pm.poll_interval_s, 15)) > now() + interval '1 second' AS fresh
           FROM jobs j LEFT JOIN project_monitoring pm ON pm.project_id = j.project_id
          WHERE j.state = 'running' AND j.lease_until < now() - make_interval(secs => $1)
          FOR UPDATE OF j SKIP LOCKED)
       UPDATE jobs j SET
          state = CASE WHEN s.fresh THEN 'pending' ELSE 'failed' END,
          run_after = now(),
          finished_at = CASE WHEN s.fresh THEN NULL ELSE now() END,
          last_error = 'lease expired: worker ' || coalesce(j.locked_by, '?') || ' stopped without finishing',
          requeued_count = j.requeued_count + 1,
          lease_until = NULL, locked_by = NULL
         FROM stuck s
        WHERE j.id = s.id
        RETURNING j.state`,
      [graceSeconds],
    );
    return { requeued: rows.filter((r) => r.state === 'pending').length, failed: rows.filter((r) => r.state === 'failed').length };
  }

  /** Pending polls whose slot is older than `maxAgeSeconds` (a worker backlog, a database outage) fail as missed. */
  async expireMissedSlots(maxAgeSeconds: number): Promise<number> {
    const rows = await queryRows(
      this.db,
      `UPDATE jobs SET state = 'failed', finished_at = now(),
              last_error = 'missed: no worker polled this slot within ' || $1 || ' s'
        WHERE state = 'pending' AND kind = 'poll' AND slot_at < now() - make_interval(secs => $1)
        RETURNING id`,
      [maxAgeSeconds],
    );
    return rows.length;
  }

  /** Counts by state, stuck leases, and the last 15 minutes' polls (averages), in one scan. */
  async figures(): Promise<JobFigures> {
    const [row] = await this.db.query(`
      SELECT count(*) FILTER (WHERE state = 'pending')::int AS pending,
             count(*) FILTER (WHERE state = 'running')::int AS running,
             count(*) FILTER (WHERE state = 'failed')::int AS failed,
             count(*) FILTER (WHERE state = 'running' AND lease_until < now())::int AS stuck_running,
             round(avg(duration_ms) FILTER (WHERE kind = 'poll' AND state IN ('succeeded', 'failed') AND finished_at > now() - interval '15 minutes'))::int AS avg_collection_ms,
             coalesce(sum(requeued_count) FILTER (WHERE created_at > now() - interval '15 minutes'), 0)::int AS requeued,
             count(*) FILTER (WHERE state = 'succeeded' AND finished_at > now() - interval '15 minutes')::int AS succeeded_15m,
             count(*) FILTER (WHERE state = 'failed' AND finished_at > now() - interval '15 minutes')::int AS failed_15m,
             percentile_cont(0.99) WITHIN GROUP (ORDER BY lag_ms) FILTER (WHERE started_at > now() - interval '5 minutes') AS lag_p99
        FROM jobs`);
    return row;
  }

  /** Finished jobs are history: keep what /health/scheduler averages, and failures for a while longer. */
  async prune(failureRetentionDays: number): Promise<number> {
    const rows = await queryRows(
      this.db,
      `DELETE FROM jobs WHERE ctid IN (
         SELECT ctid FROM jobs
          WHERE (state = 'succeeded' AND finished_at < now() - interval '20 minutes')
             OR (state = 'failed' AND finished_at < now() - make_interval(days => $1))
          LIMIT 50000)
       RETURNING 1`,
      [failureRetentionDays],
    );
    return rows.length;
  }
}
