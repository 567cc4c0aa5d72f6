import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { ALERT_RULE_DEFAULTS, ALERT_WINDOW_SECONDS } from '@seqpulse/contracts';
import type { AlertTransition, AlertView } from '@seqpulse/contracts';
import { AppConfig } from '../config/app-config';
import { ADVISORY_LOCKS } from '../database/advisory-locks';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { MONITORED_PROJECTS_SQL } from '../rollout/rollout.service';
import type { AlertTransitionEvent } from '../notifications/messages';
import { NotificationDispatcher } from '../notifications/notification-dispatcher';
import { NotificationsService } from '../notifications/notifications.service';
import { thresholdDefaultsSql } from './alert-rules';
import { AlertRow, toAlertView } from './alert-view';

/**
 * The collector writes a sample's `slot_at` at or a little before its `collected_at`; this bounds the
 * difference so the window query prunes the day partitions on `slot_at` (a sample collected more than an
 * hour after its slot would be ignored by the window).
 */
const SLOT_SLACK_S = 3600;
/** How far back `no_data` looks for the last sample; older than that, the env counts as silent since it was first monitored. */
const LAST_SAMPLE_LOOKBACK_S = 86_400;

export interface EvaluationResult {
  /** False when another process held the evaluation lock (or, for the scheduled tick, ran moments ago). */
  ran: boolean;
  fired: AlertView[];
  resolved: AlertView[];
  durationMs: number;
}

const MONITORED_ENVS_CTE = `
  monitored AS (
    SELECT p.id AS project_id, e.env
      FROM projects p CROSS JOIN LATERAL unnest(p.envs) AS e(env)
     WHERE ${MONITORED_PROJECTS_SQL}
  )`;

const ALERT_COLUMNS = 'id, project_id, env, rule, state, value, threshold, started_at, resolved_at, resolution_reason';

/**
 * Open alerts of projects that left Enterprise or the rollout, or of envs removed from their project, are
 * resolved with that reason; the `no_data` reference of envs no longer monitored is forgotten.
 */
export const SWEEP_SQL = `
  WITH forgotten AS (
    DELETE FROM alert_monitored_envs ame
     WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.id = ame.project_id AND ame.env = ANY (p.envs) AND ${MONITORED_PROJECTS_SQL})
  ),
  swept AS (
    UPDATE alerts a
       SET state = 'resolved', resolved_at = $1,
           resolution_reason = CASE WHEN p.plan <> 'enterprise' THEN 'plan_not_enterprise'
                                    WHEN NOT (${MONITORED_PROJECTS_SQL}) THEN 'monitoring_not_enabled'
                                    ELSE 'env_removed' END
      FROM projects p
     WHERE a.state = 'firing' AND p.id = a.project_id
       AND (NOT (${MONITORED_PROJECTS_SQL}) OR NOT (a.env = ANY (p.envs)))
    RETURNING a.${ALERT_COLUMNS.split(', ').join(', a.')}
  )
  SELECT 'resolved' AS transition, * FROM swept`;

/**
 * Every rule of every monitored project/env in one statement (set-based: the cost does not grow with one
 * query per project, and the four threshold rules and `no_data` share one scan of the window):
 * - `windows`: one range scan of the samples stored in the 5-minute window (`now - 300 s < collected_at <= now`;
 *   BRIN index on `collected_at`, day partitions pruned on `slot_at`), grouped by project/env: the four means
 *   and the last sample. Only stored samples count; an env with none has no mean, fires no threshold rule, and
 *   an open threshold alert of it resolves (`no_samples_in_window`).
 * - `no_data` (N ≥ 5 minutes = the window): an env with a sample in the window is not silent. For the others
 *   only, one backward index probe finds the last sample (one day back at most); the reference is that sample, or
 *   when monitoring started for the env (`alert_monitored_envs.since`, recorded at its first evaluation) if later.
 *   It fires once `now` is N minutes past the reference (value: minutes of silence).
 * - The effective rule: env override, else the project rule, else the contract default.
 * - Then fire (insert: at most one open alert per project/env/rule, the partial unique index makes a duplicate a
 *   no-op) and resolve (update) in the same statement.
 */
export const EVALUATE_SQL = `
  WITH ${MONITORED_ENVS_CTE},
  windows AS (
    SELECT s.project_id, s.env, max(s.collected_at) AS last_at,
           avg(s.error_rate) AS error_rate, avg(s.latency_p95) AS latency_p95,
           avg(s.cpu_usage) AS cpu_usage, avg(s.memory_usage) AS memory_usage
      FROM samples s
     WHERE s.collected_at > $1::timestamptz - make_interval(secs => ${ALERT_WINDOW_SECONDS})
       AND s.collected_at <= $1::timestamptz
       AND s.slot_at > $1::timestamptz - make_interval(secs => ${ALERT_WINDOW_SECONDS + SLOT_SLACK_S})
       AND s.slot_at <= $1::timestamptz + make_interval(secs => ${SLOT_SLACK_S})
     GROUP BY s.project_id, s.env
  ),
  envs AS (
    SELECT m.project_id, m.env, w.last_at AS window_last_at, w.error_rate, w.latency_p95, w.cpu_usage, w.memory_usage, ame.since
      FROM monitored m
      LEFT JOIN windows w ON w.project_id = m.project_id AND w.env = m.env
      LEFT JOIN alert_monitored_envs ame ON ame.project_id = m.project_id AND ame.env = m.env
  ),
  first_seen AS (
    INSERT INTO alert_monitored_envs (project_id, env, since)
    SELECT project_id, env, $1 FROM envs WHERE since IS NULL
    ON CONFLICT (project_id, env) DO NOTHING
  ),
  silent_envs AS (
    SELECT e.project_id, e.env, l.at AS last_at, greatest(l.at, coalesce(e.since, $1::timestamptz)) AS reference
      FROM envs e
      LEFT JOIN LATERAL (
        SELECT s.collected_at AS at FROM samples s
         WHERE s.project_id = e.project_id AND s.env = e.env
           AND s.collected_at <= $1::timestamptz
           AND s.slot_at > $1::timestamptz - make_interval(secs => ${LAST_SAMPLE_LOOKBACK_S})
           AND s.slot_at <= $1::timestamptz + make_interval(secs => ${SLOT_SLACK_S})
         ORDER BY s.slot_at DESC -- the primary key's order; a later slot is always a later sample
         LIMIT 1
      ) l ON true
     WHERE e.window_last_at IS NULL
  ),
  rules AS (
    SELECT e.project_id, e.env, d.rule, e.window_last_at,
           CASE d.metric WHEN 'error_rate' THEN e.error_rate WHEN 'latency_p95' THEN e.latency_p95
                         WHEN 'cpu_usage' THEN e.cpu_usage WHEN 'memory_usage' THEN e.memory_usage END AS mean,
           coalesce(re.threshold, rp.threshold, d.threshold) AS threshold,
           coalesce(re.enabled, rp.enabled, true) AS enabled
      FROM envs e
      CROSS JOIN (VALUES ${thresholdDefaultsSql()}, ('no_data', NULL, ${Number(ALERT_RULE_DEFAULTS.no_data)}::float8)) AS d(rule, metric, threshold)
      LEFT JOIN alert_rules re ON re.project_id = e.project_id AND re.env = e.env AND re.rule = d.rule
      LEFT JOIN alert_rules rp ON rp.project_id = e.project_id AND rp.env = '' AND rp.rule = d.rule
  ),
  evaluated AS (
    SELECT r.project_id, r.env, r.rule, r.threshold, r.enabled, coalesce(r.window_last_at, se.last_at) AS last_at,
           CASE WHEN r.rule = 'no_data'
                THEN round((extract(epoch FROM $1::timestamptz - se.reference) / 60)::numeric, 2)::float8
                ELSE r.mean END AS value,
           CASE WHEN r.rule = 'no_data'
                THEN coalesce($1::timestamptz >= se.reference + r.threshold * interval '1 minute', false)
                ELSE coalesce(r.mean > r.threshold, false) END AS active
      FROM rules r
      LEFT JOIN silent_envs se ON r.rule = 'no_data' AND se.project_id = r.project_id AND se.env = r.env
  ),
  fired AS (
    INSERT INTO alerts (project_id, env, rule, state, value, threshold, started_at)
    SELECT project_id, env, rule, 'firing', value, threshold, $1 FROM evaluated
     WHERE enabled AND active
    ON CONFLICT (project_id, env, rule) WHERE state = 'firing' DO NOTHING
    RETURNING ${ALERT_COLUMNS}
  ),
  resolved AS (
    UPDATE alerts a
       SET state = 'resolved', resolved_at = $1,
           resolution_reason = CASE WHEN NOT e.enabled THEN 'rule_disabled'
                                    WHEN a.rule = 'no_data' AND e.last_at >= a.started_at - a.threshold * interval '1 minute' THEN 'sample_received'
                                    WHEN a.rule = 'no_data' THEN 'recovered'
                                    WHEN e.value IS NULL THEN 'no_samples_in_window'
                                    ELSE 'recovered' END
      FROM evaluated e
     WHERE a.state = 'firing' AND a.project_id = e.project_id AND a.env = e.env AND a.rule = e.rule
       AND NOT (e.enabled AND e.active)
    RETURNING a.${ALERT_COLUMNS.split(', ').join(', a.')}
  )
  SELECT 'firing' AS transition, * FROM fired
  UNION ALL
  SELECT 'resolved' AS transition, * FROM resolved`;

/**
 * The alert evaluator: every monitored project/env, all five rules, set-based (two statements per run over
 * all projects: the sweep and the evaluation), in one transaction with the notifications of its transitions, under a transaction-level
 * advisory lock so only one process evaluates at a time (a second one skips). Runs as the `alert-evaluation`
 * periodic task in worker processes; `evaluate(now)` takes the clock explicitly.
 */
@Injectable()
export class AlertEvaluator implements OnModuleInit {
  private readonly logger = new Logger(AlertEvaluator.name);

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly tasks: TaskScheduler,
    private readonly notifications: NotificationsService,
    private readonly dispatcher: NotificationDispatcher,
  ) {}

  onModuleInit(): void {
    const everyS = this.config.SEQPULSE_ALERT_EVAL_INTERVAL_S;
    this.tasks.register({
      name: 'alert-evaluation',
      everyMs: Math.max(1, everyS) * 1000,
      runsIn: 'worker',
      enabled: (config) => config.SEQPULSE_ALERT_EVAL_INTERVAL_S > 0,
      // Skipped when another process ran moments ago: several workers evaluate once per interval between them.
      run: () => this.evaluate(new Date(), { minGapMs: Math.max(1, everyS * 1000 - 2000) }),
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
   * notifications, all in one transaction. Returns `ran: false` when another process holds the lock.
   */
  async evaluate(now: Date = new Date(), options: { minGapMs?: number } = {}): Promise<EvaluationResult> {
    const startedAt = new Date();
    const started = performance.now();
    const runner = this.db.createQueryRunner();
    await runner.connect();
    let events: AlertTransitionEvent[] = [];
    try {
      await runner.startTransaction();
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [ADVISORY_LOCKS.alertEvaluation]);
      if (!locked || (options.minGapMs && (await this.ranRecently(runner, options.minGapMs)))) {
        await runner.rollbackTransaction();
        return { ran: false, fired: [], resolved: [], durationMs: Math.round(performance.now() - started) };
      }
      const rows: (AlertRow & { transition: AlertTransition })[] = [
        ...(await runner.query(SWEEP_SQL, [now])),
        ...(await runner.query(EVALUATE_SQL, [now])),
      ];
      events = rows.map((r) => ({ projectId: r.project_id, transition: r.transition, alert: toAlertView(r), at: now }));
      await this.notifications.announce(runner, events, now);
      const durationMs = Math.round(performance.now() - started);
      await runner.query(`INSERT INTO analysis_runs (kind, started_at, duration_ms) VALUES ('alerts', $1, $2)`, [startedAt, durationMs]);
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
    const durationMs = Math.round(performance.now() - started);
    if (events.length) {
      this.logger.log(
        {
          fired: events.filter((e) => e.transition === 'firing').length,
          resolved: events.filter((e) => e.transition === 'resolved').length,
          duration_ms: durationMs,
        },
        'Alert transitions',
      );
      this.dispatcher.kick();
    }
    return {
      ran: true,
      fired: events.filter((e) => e.transition === 'firing').map((e) => e.alert),
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
