import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, QueryRunner } from 'typeorm';
import { ALERT_RULE_DEFAULTS, ALERT_WINDOW_SECONDS } from '@seqpulse/contracts';
import type { AlertTransition, AlertView } from '@seqpulse/contracts';
import { AppConfig } from '../config/app-config';
import { MONITORED_PROJECTS_SQL } from '../rollout/rollout.service';
import type { AlertTransitionEvent } from '../notifications/messages';
import { NotificationDispatcher } from '../notifications/notification-dispatcher';
import { NotificationsService } from '../notifications/notifications.service';
import { thresholdDefaultsSql } from './alert-rules';
import { AlertRow, toAlertView } from './alert-view';

/** Advisory lock shared by every SeqPulse process: one evaluation at a time. */
export const ALERTS_LOCK_KEY = 7_301_005;
/**
 * The collector writes a sample's `slot_at` at or a little before its `collected_at`; this bounds the
 * difference so the window query prunes the day partitions on `slot_at` (a sample collected more than an
 * hour after its slot would be ignored by the window).
 */
const SLOT_SLACK_S = 3600;
/** How far back `no_data` looks for the last sample; older than that, the env counts as silent since it was first monitored. */
const LAST_SAMPLE_LOOKBACK_S = 86_400;
const TICK = 'alerts-evaluation';

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
const SWEEP_SQL = `
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
 * The four threshold rules in one statement over every monitored project/env: the 5-minute means of the
 * stored samples (`now - 300 s < collected_at <= now`, one index range scan per env), the effective rule
 * (env override, else project rule, else contract default), then fire (insert, at most one open alert per
 * project/env/rule thanks to the partial unique index) and resolve (update) in the same statement.
 * An empty window has no mean: it fires nothing, and resolves an open alert (`no_samples_in_window`).
 */
const THRESHOLD_SQL = `
  WITH ${MONITORED_ENVS_CTE},
  windows AS (
    SELECT m.project_id, m.env, w.error_rate, w.latency_p95, w.cpu_usage, w.memory_usage
      FROM monitored m
      CROSS JOIN LATERAL (
        SELECT avg(s.error_rate) AS error_rate, avg(s.latency_p95) AS latency_p95,
               avg(s.cpu_usage) AS cpu_usage, avg(s.memory_usage) AS memory_usage
          FROM samples s
         WHERE s.project_id = m.project_id AND s.env = m.env
           AND s.collected_at > $1::timestamptz - make_interval(secs => ${ALERT_WINDOW_SECONDS})
           AND s.collected_at <= $1::timestamptz
           AND s.slot_at > $1::timestamptz - make_interval(secs => ${ALERT_WINDOW_SECONDS + SLOT_SLACK_S})
           AND s.slot_at <= $1::timestamptz + make_interval(secs => ${SLOT_SLACK_S})
      ) w
  ),
  evaluated AS (
    SELECT w.project_id, w.env, d.rule,
           coalesce(re.threshold, rp.threshold, d.threshold) AS threshold,
           coalesce(re.enabled, rp.enabled, true) AS enabled,
           CASE d.metric WHEN 'error_rate' THEN w.error_rate WHEN 'latency_p95' THEN w.latency_p95
                         WHEN 'cpu_usage' THEN w.cpu_usage WHEN 'memory_usage' THEN w.memory_usage END AS value
      FROM windows w
      CROSS JOIN (VALUES ${thresholdDefaultsSql()}) AS d(rule, metric, threshold)
      LEFT JOIN alert_rules re ON re.project_id = w.project_id AND re.env = w.env AND re.rule = d.rule
      LEFT JOIN alert_rules rp ON rp.project_id = w.project_id AND rp.env = '' AND rp.rule = d.rule
  ),
  fired AS (
    INSERT INTO alerts (project_id, env, rule, state, value, threshold, started_at)
    SELECT project_id, env, rule, 'firing', value, threshold, $1 FROM evaluated
     WHERE enabled AND value > threshold
    ON CONFLICT (project_id, env, rule) WHERE state = 'firing' DO NOTHING
    RETURNING ${ALERT_COLUMNS}
  ),
  resolved AS (
    UPDATE alerts a
       SET state = 'resolved', resolved_at = $1,
           resolution_reason = CASE WHEN NOT e.enabled THEN 'rule_disabled'
                                    WHEN e.value IS NULL THEN 'no_samples_in_window'
                                    ELSE 'recovered' END
      FROM evaluated e
     WHERE a.state = 'firing' AND a.project_id = e.project_id AND a.env = e.env AND a.rule = e.rule
       AND NOT (e.enabled AND coalesce(e.value > e.threshold, false))
    RETURNING a.${ALERT_COLUMNS.split(', ').join(', a.')}
  )
  SELECT 'firing' AS transition, * FROM fired
  UNION ALL
  SELECT 'resolved' AS transition, * FROM resolved`;

/**
 * `no_data` in one statement: the last stored sample of each monitored env (one backward index probe per
 * env), or — for an env with no sample, or none since monitoring started — the time monitoring started for
 * it (`alert_monitored_envs.since`, recorded at its first evaluation). Fires once `now` is N minutes past
 * that reference; resolves as soon as a newer sample brings it back under N minutes. The value is the
 * silence in minutes.
 */
const NO_DATA_SQL = `
  WITH ${MONITORED_ENVS_CTE},
  first_seen AS (
    INSERT INTO alert_monitored_envs (project_id, env, since)
    SELECT project_id, env, $1 FROM monitored
    ON CONFLICT (project_id, env) DO NOTHING
  ),
  evaluated AS (
    SELECT m.project_id, m.env, l.at AS last_at,
           coalesce(re.threshold, rp.threshold, ${Number(ALERT_RULE_DEFAULTS.no_data)}::float8) AS threshold,
           coalesce(re.enabled, rp.enabled, true) AS enabled,
           greatest(l.at, coalesce(ame.since, $1::timestamptz)) AS reference
      FROM monitored m
      LEFT JOIN alert_monitored_envs ame ON ame.project_id = m.project_id AND ame.env = m.env
      LEFT JOIN LATERAL (
        SELECT s.collected_at AS at FROM samples s
         WHERE s.project_id = m.project_id AND s.env = m.env
           AND s.collected_at <= $1::timestamptz
           AND s.slot_at > $1::timestamptz - make_interval(secs => ${LAST_SAMPLE_LOOKBACK_S})
           AND s.slot_at <= $1::timestamptz + make_interval(secs => ${SLOT_SLACK_S})
         ORDER BY s.collected_at DESC
         LIMIT 1
      ) l ON true
      LEFT JOIN alert_rules re ON re.project_id = m.project_id AND re.env = m.env AND re.rule = 'no_data'
      LEFT JOIN alert_rules rp ON rp.project_id = m.project_id AND rp.env = '' AND rp.rule = 'no_data'
  ),
  judged AS (
    SELECT e.*, $1::timestamptz >= e.reference + e.threshold * interval '1 minute' AS silent,
           round((extract(epoch FROM $1::timestamptz - e.reference) / 60)::numeric, 2)::float8 AS silence_min
      FROM evaluated e
  ),
  fired AS (
    INSERT INTO alerts (project_id, env, rule, state, value, threshold, started_at)
    SELECT project_id, env, 'no_data', 'firing', silence_min, threshold, $1 FROM judged
     WHERE enabled AND silent
    ON CONFLICT (project_id, env, rule) WHERE state = 'firing' DO NOTHING
    RETURNING ${ALERT_COLUMNS}
  ),
  resolved AS (
    UPDATE alerts a
       SET state = 'resolved', resolved_at = $1,
           resolution_reason = CASE WHEN NOT j.enabled THEN 'rule_disabled'
                                    WHEN j.last_at >= a.started_at - a.threshold * interval '1 minute' THEN 'sample_received'
                                    ELSE 'recovered' END
      FROM judged j
     WHERE a.state = 'firing' AND a.rule = 'no_data' AND a.project_id = j.project_id AND a.env = j.env
       AND NOT (j.enabled AND j.silent)
    RETURNING a.${ALERT_COLUMNS.split(', ').join(', a.')}
  )
  SELECT 'firing' AS transition, * FROM fired
  UNION ALL
  SELECT 'resolved' AS transition, * FROM resolved`;

/**
 * The alert evaluator: every monitored project/env, all five rules, set-based (one statement per rule kind
 * over all projects), in one transaction with the notifications of its transitions, under a transaction-level
 * advisory lock so only one process evaluates at a time (a second one skips). Runs on a
 * `@nestjs/schedule` interval in worker processes; `evaluate(now)` takes the clock explicitly.
 */
@Injectable()
export class AlertEvaluator implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(AlertEvaluator.name);
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly notifications: NotificationsService,
    private readonly dispatcher: NotificationDispatcher,
  ) {}

  onApplicationBootstrap(): void {
    const everyS = this.config.SEQPULSE_ALERT_EVAL_INTERVAL_S;
    if (!this.config.runsWorker || everyS === 0) return;
    this.scheduler.addInterval(TICK, setInterval(() => void this.tick(), everyS * 1000));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('interval', TICK)) this.scheduler.deleteInterval(TICK);
    await this.running?.catch(() => undefined);
  }

  /** The scheduled run: wall clock, skipped when a run is still going here or another process ran moments ago. */
  async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    const minGapMs = Math.max(1, this.config.SEQPULSE_ALERT_EVAL_INTERVAL_S * 1000 - 2000);
    this.running = this.evaluate(new Date(), { minGapMs })
      .catch((error) => this.logger.error({ err: error }, 'Alert evaluation failed'))
      .finally(() => (this.running = null));
    await this.running;
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
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [ALERTS_LOCK_KEY]);
      if (!locked || (options.minGapMs && (await this.ranRecently(runner, options.minGapMs)))) {
        await runner.rollbackTransaction();
        return { ran: false, fired: [], resolved: [], durationMs: Math.round(performance.now() - started) };
      }
      const rows: (AlertRow & { transition: AlertTransition })[] = [
        ...(await runner.query(SWEEP_SQL, [now])),
        ...(await runner.query(THRESHOLD_SQL, [now])),
        ...(await runner.query(NO_DATA_SQL, [now])),
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
      this.logger.log({ fired: events.filter((e) => e.transition === 'firing').length, resolved: events.filter((e) => e.transition === 'resolved').length, duration_ms: durationMs }, 'Alert transitions');
      if (this.dispatcher.automatic) this.dispatcher.kick();
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
