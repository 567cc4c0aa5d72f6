import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import type { AlertView } from '@seqpulse/contracts';
import { AppConfig } from '../config/app-config';
import { ADVISORY_LOCKS } from '../database/advisory-locks';
import { connectionOf, PreparedStatements } from '../database/prepared-statements';
import { TaskScheduler } from '../scheduler/task-scheduler';
import type { AlertTransitionEvent } from '../notifications/messages';
import { NotificationDispatcher } from '../notifications/notification-dispatcher';
import { NotificationsService } from '../notifications/notifications.service';
import { toAlertView } from './alert-view';
import { EvaluatedRow, timelineEvents } from './alert-timeline';
import { recordTimeline } from './alert-history';
import { ENVS_DUE_SQL, EVALUATE_ENVS_SQL, EVALUATE_SQL, SWEEP_SQL } from './evaluation-sql';

/**
 * Above this many envs (a backlog flushed after an outage), evaluating them all with the fleet-wide statement (one
 * BRIN range scan of the window) is cheaper than one primary-key range per env: at 10,000 envs the per-env form
 * measured 628 ms against 244 ms (docs/performance.md, "Alerts"). Evaluating the other envs too changes nothing
 * for them that the periodic pass would not.
 */
const PER_ENV_SCANS_MAX = 1_000;
/** Appended to an evaluation transaction's first round trip: its named statements use their generic plan. */
const GENERIC_PLANS = '; SET LOCAL plan_cache_mode = force_generic_plan';

/** One project/env to evaluate. */
export interface EnvRef {
  projectId: string;
  env: string;
}

/** The parameters of the statements over given envs (`$1` the moment, `$2`/`$3` the envs' projects and names). */
function envsParams(at: Date, envs: readonly EnvRef[]): unknown[] {
  return [at, envs.map((e) => e.projectId), envs.map((e) => e.env)];
}

export interface EvaluationResult {
  /** False when another process held the evaluation lock (or, for the scheduled tick, ran moments ago). */
  ran: boolean;
  fired: AlertView[];
  resolved: AlertView[];
  durationMs: number;
}

/**
 * The alert evaluator: every monitored project/env, all five rules, set-based (two statements per run over
 * all projects: the sweep and the evaluation), in one transaction with the notifications of its transitions, under a transaction-level
 * advisory lock so only one process evaluates at a time (a second one skips). Runs as the `alert-evaluation`
 * periodic task in worker processes; `evaluate(now)` takes the clock explicitly. `evaluateEnvs` is the same
 * statement for a few envs, run as their samples arrive (prompt-evaluation.ts).
 */
@Injectable()
export class AlertEvaluator implements OnModuleInit {
  private readonly logger = new Logger(AlertEvaluator.name);
  private readonly statements: PreparedStatements;

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly tasks: TaskScheduler,
    private readonly notifications: NotificationsService,
    private readonly dispatcher: NotificationDispatcher,
  ) {
    this.statements = new PreparedStatements(config);
  }

  onModuleInit(): void {
    const everyS = this.config.SEQPULSE_ALERT_EVAL_INTERVAL_S;
    this.tasks.register({
      name: 'alert-evaluation',
      everyMs: Math.max(1, everyS) * 1000,
      runsIn: 'worker',
      enabled: (config) => config.SEQPULSE_ALERT_EVAL_INTERVAL_S > 0,
      // Skipped when another process ran moments ago: several workers evaluate once per interval between them.
      run: () => this.evaluate(undefined, { minGapMs: Math.max(1, everyS * 1000 - 2000) }),
    });
    this.tasks.register({ name: 'alert-runs-prune', everyMs: 3_600_000, runsIn: 'worker', run: () => this.pruneRuns() });
  }

  /** Evaluation timings are kept a day (`/health/scheduler` averages the last 15 minutes). */
  async pruneRuns(): Promise<void> {
    await this.db.query(`DELETE FROM analysis_runs WHERE started_at < now() - interval '1 day'`);
  }

  /** Mean evaluation time since `since`, or null without a run. */
  async meanDurationMs(since: Date): Promise<number | null> {
    const [row] = await this.db.query(`SELECT round(avg(duration_ms))::int AS avg_ms FROM analysis_runs WHERE started_at > $1`, [since]);
    return row?.avg_ms ?? null;
  }

  /**
   * Evaluates every rule of every monitored project/env at `now`, applies the transitions and queues their
   * notifications, all in one transaction. Returns `ran: false` when another process holds the lock. Without
   * `now`, the clock is read once the locks are held, so an evaluation never decides at an earlier moment than the
   * one it waited for (which could resolve an alert that one had just opened on a newer sample).
   */
  async evaluate(now?: Date, options: { minGapMs?: number } = {}): Promise<EvaluationResult> {
    // Every 15 s: planned once per connection (a generic plan: the moment is the only parameter, the day partitions
    // are pruned at executor start-up) instead of at each run (~23 ms of planning a run on 1,000 envs,
    // docs/performance.md, "Sixth round").
    const begin = `START TRANSACTION${this.statements.enabled ? GENERIC_PLANS : ''}`;
    return this.run(
      async (runner) => {
        const [{ locked }] = await runner.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [ADVISORY_LOCKS.alertEvaluation]);
        if (!locked) return null;
        await runner.query(`SELECT pg_advisory_xact_lock($1)`, [ADVISORY_LOCKS.alertTransitions]);
        if (options.minGapMs && (await this.ranRecently(runner, options.minGapMs))) return null;
        const at = now ?? new Date();
        const swept = await this.statements.onRunner<EvaluatedRow>(runner, SWEEP_SQL, [at]);
        return { now: at, rows: [...swept, ...(await this.statements.onRunner<EvaluatedRow>(runner, EVALUATE_SQL, [at]))] };
      },
      true,
      begin,
    );
  }

  /**
   * Evaluates every rule of the given project/envs only (those not monitored are left out): what the store's
   * announcement of new samples triggers. It waits for an evaluation in flight (any process) instead of skipping,
   * since that one may have started before the samples were stored; the transitions lock makes the two decide one
   * after the other, so the second sees the first's alerts and never opens one twice. `now` as for `evaluate`.
   */
  async evaluateEnvs(envs: readonly EnvRef[], now?: Date): Promise<EvaluationResult> {
    const generic = this.statements.enabled && envs.length <= PER_ENV_SCANS_MAX;
    if (generic) {
      const started = performance.now();
      envs = await this.envsDue(envs, now);
      if (envs.length === 0) return { ran: true, fired: [], resolved: [], durationMs: Math.round(performance.now() - started) };
    }
    // Twice a second: planned once per connection (a generic plan: the envs and the moment are parameters; the day
    // partitions are pruned at executor start-up), not at each run. The transaction's start, the lock, the setting and
    // the evaluation go in one round trip (`PreparedStatements.together`): each round trip costs both processes a
    // socket write and a wake-up, and these were ~30 % of the collector's statements on the vs-Prometheus fleet.
    const begin = `START TRANSACTION; SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.alertTransitions})${generic ? GENERIC_PLANS : ''}`;
    return this.run(
      async (runner) => {
        const at = now ?? new Date();
        if (envs.length > PER_ENV_SCANS_MAX) {
          await runner.query(begin);
          return { now: at, rows: await runner.query(EVALUATE_SQL, [at]) };
        }
        const results = await this.statements.together(connectionOf(runner), [
          begin,
          { sql: EVALUATE_ENVS_SQL, params: envsParams(at, envs) },
        ]);
        return { now: at, rows: results[results.length - 1] as EvaluatedRow[] };
      },
      false,
      null,
    );
  }

  /**
   * Which of `envs` the evaluation would write anything for (an alert to open, change or resolve; a first
   * evaluation), decided by the same statement without its writes, in ONE round trip and no transaction of its own:
   * the lock (so that an evaluation in flight is seen committed), the plan setting and the statement as one simple
   * query, which Postgres runs as one implicit transaction that ends with it. Twice a second in steady state, when
   * nothing is due, this is the whole evaluation (it was two round trips and a commit: ~30 % of the Postgres backends'
   * statement time on the vs-Prometheus fleet went to evaluating arriving samples, docs/performance.md, "Tenth round").
   * The envs it returns are evaluated by the statement that writes, under the lock again, which decides anew.
   */
  private async envsDue(envs: readonly EnvRef[], now?: Date): Promise<EnvRef[]> {
    const results = await this.statements.togetherOnPool(this.db, [
      `SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.alertTransitions})${GENERIC_PLANS}`,
      { sql: ENVS_DUE_SQL, params: envsParams(now ?? new Date(), envs) },
    ]);
    const due = results[results.length - 1] as { project_id: string; env: string }[];
    return due.map((row) => ({ projectId: row.project_id, env: row.env }));
  }

  /**
   * One evaluation transaction, started by `begin` (which may take locks in the same round trip; null: `decide`
   * starts it itself): `decide` takes the rest of its locks and returns the transition rows and the moment they were
   * decided at (null: skipped), which are recorded in the timeline and announced in the same transaction; a
   * periodic pass is timed in `analysis_runs` (what `/health/scheduler` averages).
   */
  private async run(
    decide: (runner: QueryRunner) => Promise<{ now: Date; rows: EvaluatedRow[] } | null>,
    periodic = true,
    begin: string | null = 'START TRANSACTION',
  ): Promise<EvaluationResult> {
    const startedAt = new Date();
    const started = performance.now();
    const runner = this.db.createQueryRunner();
    await runner.connect();
    let events: AlertTransitionEvent[] = [];
    try {
      if (begin) await runner.query(begin);
      const decided = await decide(runner);
      if (!decided) {
        await runner.query('ROLLBACK');
        return { ran: false, fired: [], resolved: [], durationMs: Math.round(performance.now() - started) };
      }
      const { now, rows } = decided;
      await recordTimeline(runner, rows.flatMap(timelineEvents), now);
      events = rows.map((r) => toTransitionEvent(r, now));
      await this.notifications.announce(runner, events, now);
      const durationMs = Math.round(performance.now() - started);
      if (periodic) {
        await runner.query(`INSERT INTO analysis_runs (kind, started_at, duration_ms) VALUES ('alerts', $1, $2)`, [startedAt, durationMs]);
      }
      await runner.query('COMMIT');
    } catch (error) {
      // also when the start's own round trip failed part-way (without a transaction Postgres only warns)
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
    const durationMs = Math.round(performance.now() - started);
    if (events.length) {
      this.logger.log(
        {
          fired: events.filter((e) => e.opened).length,
          resolved: events.filter((e) => e.transition === 'resolved').length,
          duration_ms: durationMs,
        },
        'Alert transitions',
      );
      this.dispatcher.kick();
    }
    return {
      ran: true,
      fired: events.filter((e) => e.opened).map((e) => e.alert),
      resolved: events.filter((e) => e.transition === 'resolved').map((e) => e.alert),
      durationMs,
    };
  }

  private async ranRecently(runner: QueryRunner, minGapMs: number): Promise<boolean> {
    const [row] = await runner.query(
      `SELECT started_at FROM analysis_runs WHERE kind = 'alerts' AND started_at > $1 ORDER BY started_at DESC LIMIT 1`,
      [new Date(Date.now() - minGapMs)],
    );
    return row !== undefined;
  }
}

/**
 * One row of the statement as the live stream and the channels see it: every change is streamed; only an
 * announced one (not silenced) is delivered, under its own outbox sequence (escalation, re-notification).
 */
function toTransitionEvent(row: EvaluatedRow, now: Date): AlertTransitionEvent {
  return {
    projectId: row.project_id,
    transition: row.transition === 'resolved' ? 'resolved' : 'firing',
    alert: toAlertView(row),
    at: now,
    opened: row.transition === 'firing',
    deliver: row.announced,
    seq: row.transition === 'changed' ? row.announce_seq : 0,
    renotification: row.renotified_now,
  };
}
