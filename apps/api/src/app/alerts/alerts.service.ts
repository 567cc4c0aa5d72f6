import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ALERT_LEVELS } from '@seqpulse/contracts';
import type { AlertHistoryEntry, AlertLevel, AlertRuleName, AlertRulesResponse, AlertView } from '@seqpulse/contracts';
import { NotificationsService } from '../notifications/notifications.service';
import { mergeTimelines, timelinesOf } from './alert-history';
import { ApiError } from '../common/api-error';
import { ADVISORY_LOCKS } from '../database/advisory-locks';
import type { Principal } from '../auth/principal';
import { parseInstant } from '../common/query-params';
import { ruleViews, StoredRule, validateRuleSet } from './alert-rules';
import { AlertRow, toAlertView } from './alert-view';
import type { AlertHistoryQueryDto, AlertsQueryDto, PutAlertRulesDto } from './alerts.dto';

/** The levels an alert fires at, least severe first (the overview's `firing` counts); defined with the rule catalogue. */
export { ALERT_LEVELS };
export type { AlertLevel };

/** The level of an alert row, in SQL: the one place the level is read (the `alerts.level` column). */
const ALERT_LEVEL_SQL = 'level';

export interface FiringCount {
  projectId: string;
  env: string;
  firing: Record<AlertLevel, number>;
}

/** The project as the Enterprise gate loaded it. */
export interface RulesProject {
  id: string;
  envs: string[];
}

/** Alert history and rule settings of one (already gated) project. */
@Injectable()
export class AlertsService {
  constructor(
    private readonly db: DataSource,
    private readonly notifications: NotificationsService,
  ) {}

  /**
   * Alert instances, newest first. `from`/`to` select the alerts active at some point of the range
   * (`started_at <= to` and still firing or `resolved_at >= from`).
   */
  async list(projectId: string, query: AlertsQueryDto, more: { rule?: string; level?: string } = {}): Promise<AlertView[]> {
    const from = query.from === undefined ? null : new Date(parseInstant('from', query.from));
    const to = query.to === undefined ? null : new Date(parseInstant('to', query.to));
    if (from && to && from.getTime() >= to.getTime()) {
      throw ApiError.validation('Invalid request: from must be before to.', {
        fields: [{ field: 'from', problems: ['from must be before to'] }],
      });
    }
    const rows: AlertRow[] = await this.db.query(
      `SELECT id, project_id, env, rule, state, value, threshold, started_at, resolved_at, resolution_reason, level, silenced
         FROM alerts
        WHERE project_id = $1
          AND ($2::text IS NULL OR state = $2)
          AND ($3::timestamptz IS NULL OR resolved_at IS NULL OR resolved_at >= $3)
          AND ($4::timestamptz IS NULL OR started_at <= $4)
          AND ($5::text IS NULL OR env = $5)
          AND ($7::text IS NULL OR rule = $7)
          AND ($8::text IS NULL OR level = $8)
        ORDER BY started_at DESC, id
        LIMIT $6`,
      [
        projectId,
        query.state ?? null,
        from,
        to,
        query.env ?? null,
        query.limit === undefined ? 500 : Number(query.limit),
        more.rule ?? null,
        more.level ?? null,
      ],
    );
    return rows.map(toAlertView);
  }

  /**
   * The alert history: alerts filtered like `list` plus rule and level, each with its level and silenced flag and its
   * timeline (evaluation events and the notifications sent), oldest entry first.
   */
  async history(projectId: string, query: AlertHistoryQueryDto): Promise<AlertHistoryEntry[]> {
    const alerts = (await this.list(projectId, { ...query, limit: query.limit ?? '100' }, { rule: query.rule, level: query.level })).map(
      (a) => ({ ...a, level: a.level ?? 'critical', silenced: a.silenced ?? false }),
    );
    const ids = alerts.map((a) => a.id);
    const [events, deliveries] = await Promise.all([timelinesOf(this.db, ids), this.notifications.alertDeliveries(projectId, ids)]);
    const timelines = mergeTimelines(ids, events, deliveries);
    return alerts.map((a) => ({ ...a, timeline: timelines.get(a.id) ?? [] }));
  }

  /** Records alerts that fired and resolved in the past (the demo's history). */
  async recordResolved(
    alerts: { projectId: string; env: string; rule: AlertRuleName; value: number; threshold: number; startedAt: Date; resolvedAt: Date }[],
  ): Promise<void> {
    if (alerts.length === 0) return;
    await this.db.query(
      `INSERT INTO alerts (project_id, env, rule, state, value, threshold, started_at, resolved_at, resolution_reason)
       SELECT u.project_id, u.env, u.rule, 'resolved', u.value, u.threshold, u.started_at, u.resolved_at, 'recovered'
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::timestamptz[], $7::timestamptz[])
           AS u(project_id, env, rule, value, threshold, started_at, resolved_at)`,
      [
        alerts.map((a) => a.projectId),
        alerts.map((a) => a.env),
        alerts.map((a) => a.rule),
        alerts.map((a) => a.value),
        alerts.map((a) => a.threshold),
        alerts.map((a) => a.startedAt),
        alerts.map((a) => a.resolvedAt),
      ],
    );
  }

  /** Firing alerts per project and env, for many projects in one statement. */
  /** Firing alerts per (project, env) and level, for the given projects (pairs without one are left out). */
  async firingCounts(projectIds: string[]): Promise<FiringCount[]> {
    if (projectIds.length === 0) return [];
    const rows: ({ project_id: string; env: string } & Record<AlertLevel, number>)[] = await this.db.query(
      `SELECT project_id::text, env, ${ALERT_LEVELS.map((l) => `count(*) FILTER (WHERE level = '${l}')::int AS ${l}`).join(', ')}
         FROM (SELECT project_id, env, ${ALERT_LEVEL_SQL} AS level FROM alerts WHERE state = 'firing' AND project_id = ANY($1::uuid[])) a
        GROUP BY project_id, env`,
      [projectIds],
    );
    return rows.map((r) => ({
      projectId: r.project_id,
      env: r.env,
      firing: Object.fromEntries(ALERT_LEVELS.map((l) => [l, r[l]])) as Record<AlertLevel, number>,
    }));
  }

  async getRules(project: RulesProject): Promise<AlertRulesResponse> {
    const stored: StoredRule[] = await this.db.query(
      `SELECT env, rule, threshold, enabled, warning, recovery_critical, recovery_warning, window_min, aggregation, min_samples
         FROM alert_rules WHERE project_id = $1`,
      [project.id],
    );
    return { project_id: project.id, rules: ruleViews(stored, project.envs) };
  }

  /**
   * Replaces the project's rule set after validating all of it; on any problem nothing changes (400).
   * The evaluator reads the new thresholds at its next run.
   */
  async putRules(project: RulesProject, principal: Principal, body: PutAlertRulesDto): Promise<AlertRulesResponse> {
    const { rows, problems } = validateRuleSet(body.rules, project.envs);
    if (problems.length) {
      // One kind of ordering problem gets its own code; anything else (or a mix) is `validation_failed`.
      const codes = [...new Set(problems.map((p) => p.code ?? 'validation_failed'))];
      const message = `Invalid alert rules: ${problems.map((p) => `${p.field}: ${p.problems[0]}`).join('; ')}.`;
      const fields = problems.map((p) => ({ field: p.field, problems: p.problems, ...(p.code ? { code: p.code } : {}) }));
      throw new ApiError(400, codes.length === 1 ? codes[0] : 'validation_failed', message, { fields });
    }
    await this.db.transaction(async (tx) => {
      // Two concurrent PUTs of one project: the second waits, so the last one wins whole.
      await tx.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [ADVISORY_LOCKS.alertRuleSet, project.id]);
      await tx.query(`DELETE FROM alert_rules WHERE project_id = $1`, [project.id]);
      if (rows.length) {
        await tx.query(
          `INSERT INTO alert_rules (project_id, env, rule, threshold, enabled, updated_by,
                                    warning, recovery_critical, recovery_warning, window_min, aggregation, min_samples)
           SELECT $1, u.env, u.rule, u.threshold, u.enabled, $6, u.warning, u.recovery_critical, u.recovery_warning,
                  u.window_min, u.aggregation, u.min_samples
             FROM unnest($2::text[], $3::text[], $4::float8[], $5::boolean[], $7::float8[], $8::float8[], $9::float8[],
                         $10::int[], $11::text[], $12::int[])
               AS u(env, rule, threshold, enabled, warning, recovery_critical, recovery_warning, window_min, aggregation, min_samples)`,
          [
            project.id,
            rows.map((r) => r.env),
            rows.map((r) => r.rule),
            rows.map((r) => r.threshold),
            rows.map((r) => r.enabled),
            principal.userId,
            rows.map((r) => r.warning),
            rows.map((r) => r.recovery_critical),
            rows.map((r) => r.recovery_warning),
            rows.map((r) => r.window_min),
            rows.map((r) => r.aggregation),
            rows.map((r) => r.min_samples),
          ],
        );
      }
    });
    return this.getRules(project);
  }
}
