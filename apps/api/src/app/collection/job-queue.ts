import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { PreparedStatements, Statement } from '../database/prepared-statements';
import { queryRows } from '../database/sql';

/** A poll slot leased to this worker: the next slot of one (project, env). */
export interface ClaimedJob {
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
  projectId: string;
  env: string;
  slotAt: Date;
  /** Which attempt of the slot this was (1 for the first): the schedule lag is the first attempt's. */
  attempt: number;
  ok: boolean;
  durationMs: number;
  lagMs: number;
  error?: string;
  /** Failed attempt that may be tried again at this time. */
  retryAt?: Date;
}

/** Attempts per slot: the first and at most two retries within the slot. */
export const MAX_ATTEMPTS = 3;

/**
 * How often leases are synchronised with the monitored targets: a newly monitored target is first polled at its
 * first slot after the next sync, a target no longer monitored stops within one sync.
 */
export const ENQUEUE_EVERY_MS = 6_000;

/** How far back the slots nobody polled become `missed:` failures (a longer outage shows its last 10 minutes). */
export const MISSED_BACKFILL_S = 600;

/** A lease's grid: slot k of a target is at k * interval + offset (epoch ms); `l` names the row with both columns. */
function gridSlot(k: string, l: string): string {
  return `to_timestamp((${k} * ${l}.interval_s * 1000 + ${l}.offset_ms) / 1000.0)`;
}

/** The index k of `at` on the grid of `l`, as a fraction (floor: the slot at or before, ceil: at or after). */
function gridIndex(at: string, l: string): string {
  return `((round(extract(epoch FROM ${at}) * 1000) - ${l}.offset_ms) / (${l}.interval_s * 1000.0))`;
}

/** The first slot of `l` strictly after `at`. */
export function slotAfter(at: string, l: string): string {
  return gridSlot(`(floor(${gridIndex(at, l)}) + 1)`, l);
}

/** The first slot of `l` at or after `at`. */
export function slotAtOrAfter(at: string, l: string): string {
  return gridSlot(`ceil(${gridIndex(at, l)})`, l);
}

/**
 * The job system (docs/architecture.md, "Job system"): one lease row per monitored (project, env) in `poll_leases`,
 * holding the next slot to poll on the target's fixed grid. Workers claim due leases with `FOR UPDATE SKIP LOCKED`
 * (so any number of worker processes share the work and a slot is polled once) and advance them in place when the
 * slot is done. Slots that failed for good are rows of `jobs` (state `failed`); each flush adds one row of figures
 * to `poll_flush_stats`. Every statement here is set-based: one round-trip handles a whole batch.
 */
@Injectable()
export class JobQueue {
  /** The claim and completion run several times a second in every worker: planned once per connection. */
  private readonly statements: PreparedStatements;

  constructor(
    private readonly db: DataSource,
    config: AppConfig,
  ) {
    this.statements = new PreparedStatements(config);
  }

  /**
   * Gives every monitored project/env a lease (first slot: the next on its grid; each target's offset inside its
   * interval is a hash of project and env, so thousands of targets never fire in the same second), follows changed
   * intervals, and removes the idle leases of targets no longer monitored (left the plan, the rollout or an env).
   * Idempotent: several processes may run it. Returns the leases added.
   */
  async syncLeases(): Promise<{ added: number; removed: number }> {
    const [row] = await this.statements.rows<{ added: number; removed: number }>(
      this.db,
      `WITH targets AS (
         SELECT pm.project_id, e.env, pm.poll_interval_s AS interval_s,
                ((hashtextextended(pm.project_id::text || '/' || e.env, 0) & 2147483647) % (pm.poll_interval_s * 1000))::int AS offset_ms
           FROM project_monitoring pm CROSS JOIN LATERAL unnest(pm.envs) AS e(env)
          WHERE pm.monitored
       ), added AS (
         INSERT INTO poll_leases (project_id, env, interval_s, offset_ms, next_slot_at, run_after)
         SELECT t.project_id, t.env, t.interval_s, t.offset_ms, s.at, s.at
           FROM targets t CROSS JOIN LATERAL (SELECT ${slotAtOrAfter('now()', 't')} AS at) s
          WHERE NOT EXISTS (SELECT 1 FROM poll_leases l WHERE l.project_id = t.project_id AND l.env = t.env)
         ON CONFLICT (project_id, env) DO NOTHING
         RETURNING 1
       ), changed AS (
         UPDATE poll_leases l SET interval_s = t.interval_s, offset_ms = t.offset_ms
           FROM targets t
          WHERE l.project_id = t.project_id AND l.env = t.env AND l.interval_s <> t.interval_s
         RETURNING 1
       ), removed AS (
         DELETE FROM poll_leases l
          WHERE l.state = 'idle' AND NOT EXISTS (SELECT 1 FROM targets t WHERE t.project_id = l.project_id AND t.env = l.env)
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM added)::int AS added, (SELECT count(*) FROM removed)::int AS removed`,
      [],
    );
    return row;
  }

  /**
   * Leases due within `aheadMs` (the caller starts each at its `runAfter`, so claims can be a few a second instead
   * of ten). Slots not claimed until `maxAgeSeconds` after their time are no longer worth polling (their sample
   * would land outside the store's collection lag bound): claims skip them, and say whether an idle lease waits on
   * such a slot (`lateLeases`, from the same statement) so the caller has `expireMissedSlots` fail them visibly.
   */
  async claim(
    workerId: string,
    limit: number,
    leaseSeconds: number,
    maxAgeSeconds: number,
    aheadMs = 0,
  ): Promise<{ jobs: ClaimedJob[]; lateLeases: boolean }> {
    // One row at least (the flag), with the claimed leases' columns when there are some.
    const rows = await this.statements.rows<{
      project_id: string | null;
      env: string;
      next_slot_at: Date;
      run_after: Date;
      attempts: number;
      late: boolean;
    }>(
      this.db,
      `WITH late AS (
         SELECT EXISTS (SELECT 1 FROM poll_leases WHERE state = 'idle' AND next_slot_at <= now() - make_interval(secs => $4)) AS late
       ), claimed AS (
         UPDATE poll_leases l SET state = 'running', attempts = l.attempts + 1, started_at = now(),
                lease_until = now() + make_interval(secs => $3), locked_by = $1
           FROM (SELECT project_id, env FROM poll_leases
                  WHERE state = 'idle' AND run_after <= now() + make_interval(secs => $5 / 1000.0) AND next_slot_at > now() - make_interval(secs => $4)
                  ORDER BY run_after
                  LIMIT $2
                  FOR UPDATE SKIP LOCKED) due
          WHERE l.project_id = due.project_id AND l.env = due.env
          RETURNING l.project_id, l.env, l.next_slot_at, l.run_after, l.attempts
       )
       SELECT c.*, late.late FROM late LEFT JOIN claimed c ON true`,
      [workerId, Math.max(0, limit), leaseSeconds, maxAgeSeconds, aheadMs],
    );
    return {
      lateLeases: rows[0]?.late ?? false,
      jobs: rows
        .filter((r) => r.project_id !== null)
        .map((r) => ({
          projectId: r.project_id as string,
          env: r.env,
          slotAt: new Date(r.next_slot_at),
          runAfter: new Date(r.run_after),
          attempts: r.attempts,
          maxAttempts: MAX_ATTEMPTS,
        })),
    };
  }

  /**
   * Records a batch of outcomes in one statement; only the worker holding the lease may finish its slot. A success
   * or a final failure advances the lease to its next slot (a final failure is kept as a `jobs` row); a retryable
   * failure leaves it on its slot until `retryAt`. The batch's figures become one `poll_flush_stats` row.
   */
  async complete(workerId: string, outcomes: JobOutcome[]): Promise<void> {
    const statement = this.completion(workerId, outcomes);
    if (statement) await this.statements.rows(this.db, statement.sql, statement.params);
  }

  /** The statement of `complete` (null: no outcome), for a caller that runs it with others in one round trip. */
  completion(workerId: string, outcomes: JobOutcome[]): Statement | null {
    if (outcomes.length === 0) return null;
    return {
      sql: `WITH o AS (
         SELECT * FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::int[], $6::boolean[], $7::int[], $8::int[], $9::text[], $10::timestamptz[])
           AS o(project_id, env, slot_at, attempt, ok, duration_ms, lag_ms, error, retry_at)
       ), done AS (
         UPDATE poll_leases l SET
            state = 'idle', lease_until = NULL, locked_by = NULL,
            attempts = CASE WHEN o.retry_at IS NULL THEN 0 ELSE l.attempts END,
            next_slot_at = CASE WHEN o.retry_at IS NULL THEN ${slotAfter('l.next_slot_at', 'l')} ELSE l.next_slot_at END,
            run_after = CASE WHEN o.retry_at IS NULL THEN ${slotAfter('l.next_slot_at', 'l')} ELSE o.retry_at END
           FROM o
          WHERE l.project_id = o.project_id AND l.env = o.env AND l.next_slot_at = o.slot_at AND l.state = 'running' AND l.locked_by = $1
          RETURNING o.*, l.started_at
       ), failed AS (
         INSERT INTO jobs (kind, project_id, env, slot_at, run_after, state, attempts, locked_by, started_at, finished_at, duration_ms, lag_ms, last_error)
         SELECT 'poll', project_id, env, slot_at, slot_at, 'failed', attempt, $1, started_at, now(), duration_ms, lag_ms, error
           FROM done WHERE NOT ok AND retry_at IS NULL
         ON CONFLICT (kind, project_id, env, slot_at) DO NOTHING
         RETURNING 1
       )
       INSERT INTO poll_flush_stats (worker, succeeded, failed, timed, duration_ms_sum, lags_ms)
       SELECT $1, count(*) FILTER (WHERE ok), count(*) FILTER (WHERE NOT ok AND retry_at IS NULL),
              count(*) FILTER (WHERE ok OR retry_at IS NULL), coalesce(sum(duration_ms) FILTER (WHERE ok OR retry_at IS NULL), 0),
              coalesce(array_agg(lag_ms) FILTER (WHERE attempt = 1), '{}')
         FROM done HAVING count(*) > 0`,
      params: [
        workerId,
        outcomes.map((o) => o.projectId),
        outcomes.map((o) => o.env),
        outcomes.map((o) => o.slotAt),
        outcomes.map((o) => o.attempt),
        outcomes.map((o) => o.ok),
        outcomes.map((o) => Math.round(o.durationMs)),
        outcomes.map((o) => Math.round(o.lagMs)),
        outcomes.map((o) => o.error ?? null),
        outcomes.map((o) => o.retryAt ?? null),
      ],
    };
  }

  /**
   * Running leases whose lease expired more than `graceSeconds` ago belonged to a worker that died or hung.
   * A slot still worth polling (not yet overtaken by the next) goes back to idle, due now; otherwise the slot fails
   * (a `jobs` row) and the lease moves to its next slot. The grace keeps them visible as `stuck_running` in
   * /health/scheduler for a moment before. Both count as re-queued.
   */
  async reapExpiredLeases(workerId: string, graceSeconds: number): Promise<{ requeued: number; failed: number }> {
    // Every few seconds in every worker: prepared like the claim.
    const [row] = await this.statements.rows<{ requeued: number; failed: number }>(
      this.db,
      `WITH stuck AS (
         SELECT l.project_id, l.env, l.next_slot_at AS slot_at, l.attempts, l.locked_by, l.started_at,
                l.next_slot_at + make_interval(secs => l.interval_s) > now() + interval '1 second' AS fresh
           FROM poll_leases l
          WHERE l.state = 'running' AND l.lease_until < now() - make_interval(secs => $2)
          FOR UPDATE SKIP LOCKED
       ), reaped AS (
         UPDATE poll_leases l SET
            state = 'idle', lease_until = NULL, locked_by = NULL,
            attempts = CASE WHEN s.fresh THEN l.attempts ELSE 0 END,
            next_slot_at = CASE WHEN s.fresh THEN l.next_slot_at ELSE ${slotAfter('l.next_slot_at', 'l')} END,
            run_after = CASE WHEN s.fresh THEN now() ELSE ${slotAfter('l.next_slot_at', 'l')} END
           FROM stuck s
          WHERE l.project_id = s.project_id AND l.env = s.env
          RETURNING s.*
       ), failed AS (
         INSERT INTO jobs (kind, project_id, env, slot_at, run_after, state, attempts, locked_by, started_at, finished_at, last_error, requeued_count)
         SELECT 'poll', project_id, env, slot_at, slot_at, 'failed', attempts, locked_by, started_at, now(),
                'lease expired: worker ' || coalesce(locked_by, '?') || ' stopped without finishing', 1
           FROM reaped WHERE NOT fresh
         ON CONFLICT (kind, project_id, env, slot_at) DO NOTHING
         RETURNING 1
       ), noted AS (
         INSERT INTO poll_flush_stats (worker, requeued) SELECT $1, count(*) FROM reaped HAVING count(*) > 0
       )
       SELECT (SELECT count(*) FROM reaped WHERE fresh)::int AS requeued, (SELECT count(*) FROM failed)::int AS failed`,
      [workerId, graceSeconds],
    );
    return row;
  }

  /**
   * Slots nobody polled within `maxAgeSeconds` (a worker backlog, a database outage, every worker down) fail as
   * `missed:`, one `jobs` row per slot of the last MISSED_BACKFILL_S seconds, and their leases move to the first
   * slot still worth polling.
   */
  async expireMissedSlots(maxAgeSeconds: number): Promise<number> {
    // Runs when a claim saw a late lease: prepared like the claim, and with the age written into the text (a constant
    // of the process) rather than passed: a statement without parameters keeps its generic plan, where Postgres
    // re-planned this one at ~80 % of its runs (292 ms of planning against 107 ms of execution in the vs-Prometheus run).
    const maxAge = Number(maxAgeSeconds);
    if (!Number.isFinite(maxAge)) throw new RangeError(`maxAgeSeconds must be a number, not ${maxAgeSeconds}`);
    const [row] = await this.statements.rows<{ missed: number }>(
      this.db,
      `WITH late AS (
         SELECT l.project_id, l.env, l.next_slot_at, l.interval_s,
                ${slotAfter(`now() - make_interval(secs => ${maxAge})`, 'l')} AS fresh_at,
                greatest(l.next_slot_at, ${slotAtOrAfter(`now() - make_interval(secs => ${MISSED_BACKFILL_S})`, 'l')}) AS from_at
           FROM poll_leases l
          WHERE l.state = 'idle' AND l.next_slot_at <= now() - make_interval(secs => ${maxAge})
          FOR UPDATE SKIP LOCKED
       ), moved AS (
         UPDATE poll_leases l SET next_slot_at = s.fresh_at, run_after = s.fresh_at, attempts = 0
           FROM late s
          WHERE l.project_id = s.project_id AND l.env = s.env
       ), missed AS (
         INSERT INTO jobs (kind, project_id, env, slot_at, run_after, state, finished_at, last_error)
         SELECT 'poll', s.project_id, s.env, slot, slot, 'failed', now(), 'missed: no worker polled this slot within ${maxAge} s'
           FROM late s CROSS JOIN LATERAL generate_series(s.from_at, s.fresh_at - interval '1 millisecond', make_interval(secs => s.interval_s)) AS slot
         ON CONFLICT (kind, project_id, env, slot_at) DO NOTHING
         RETURNING 1
       )
       SELECT count(*)::int AS missed FROM missed`,
      [],
    );
    return row.missed;
  }

  /** Leases by state, stuck leases, failed slots, and the last 15 minutes' flush figures, in one statement. */
  async figures(): Promise<JobFigures> {
    const [row] = await this.db.query(`
      SELECT l.pending, l.running, l.stuck_running, f.failed, f.failed_15m, s.avg_collection_ms, s.requeued, s.succeeded_15m, p.lag_p99
        FROM (SELECT count(*) FILTER (WHERE state = 'idle')::int AS pending,
                     count(*) FILTER (WHERE state = 'running')::int AS running,
                     count(*) FILTER (WHERE state = 'running' AND lease_until < now())::int AS stuck_running
                FROM poll_leases) l,
             (SELECT count(*)::int AS failed, count(*) FILTER (WHERE finished_at > now() - interval '15 minutes')::int AS failed_15m
                FROM jobs WHERE state = 'failed') f,
             (SELECT round(sum(duration_ms_sum)::numeric / nullif(sum(timed), 0))::int AS avg_collection_ms,
                     coalesce(sum(requeued), 0)::int AS requeued, coalesce(sum(succeeded), 0)::int AS succeeded_15m
                FROM poll_flush_stats WHERE at > now() - interval '15 minutes') s,
             (SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY lag) AS lag_p99
                FROM poll_flush_stats, unnest(lags_ms) AS lag WHERE at > now() - interval '5 minutes') p`);
    return row;
  }

  /** Flush figures are kept for what /health/scheduler averages, failed slots for the failure retention. */
  async prune(failureRetentionDays: number): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      this.db,
      `WITH stats AS (DELETE FROM poll_flush_stats WHERE at < now() - interval '20 minutes' RETURNING 1),
            failed AS (
              DELETE FROM jobs WHERE ctid IN (
                SELECT ctid FROM jobs WHERE finished_at < now() - make_interval(days => $1) LIMIT 50000)
              RETURNING 1)
       SELECT ((SELECT count(*) FROM stats) + (SELECT count(*) FROM failed))::int AS n`,
      [failureRetentionDays],
    );
    return row.n;
  }
}
