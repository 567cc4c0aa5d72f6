import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ALERTS_NOTIFY_CHANNEL } from '@seqpulse/contracts';
import { DEPLOYMENT_SILENCE_LIMITS, RENOTIFY_LIMITS } from '@seqpulse/contracts';
import type {
  AlertStreamNotice,
  DeliveryStatus,
  NotificationDeliveryView,
  NotificationSettingsView,
  WebhookFormat,
} from '@seqpulse/contracts';
import { ApiError } from '../common/api-error';
import { isoOrNull, isoSeconds } from '../common/time';
import { AppConfig } from '../config/app-config';
import type { Principal } from '../auth/principal';
import { ProjectsService } from '../projects/projects.service';
import { channelRows, OutboxRow, Queryable, queueDeliveries } from './outbox-rows';
import { TargetAddressPolicy } from '../target-address/target-address.policy';
import { alertDashboardUrl, AlertTransitionEvent, slackMessage, webhookPayload } from './messages';
import { alertmanagerMessage } from './alertmanager-payload';
import type { UpdateNotificationSettingsDto } from './notifications.dto';

/** Anything that runs SQL: the DataSource, an EntityManager or a QueryRunner inside a transaction. */
export type { Queryable } from './outbox-rows';

interface SettingsRow {
  project_id: string;
  webhook_url: string | null;
  slack_webhook_url: string | null;
  send_resolved: boolean;
  webhook_format: WebhookFormat;
}

/**
 * Per-project notification settings, and the announcement of alert transitions: a NOTIFY on
 * `seqpulse_alerts` for live streams and one outbox row per configured channel, written in the caller's
 * transaction so a transition and its notifications are committed (or lost) together.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly projects: ProjectsService,
    private readonly targets: TargetAddressPolicy,
  ) {}

  async getSettings(principal: Principal, projectId: string): Promise<NotificationSettingsView> {
    await this.projects.findVisible(principal, projectId);
    return this.settingsView(projectId);
  }

  /**
   * Replaces the settings: an absent channel is turned off, an absent option goes back to its default. Each URL
   * gets the address checks.
   */
  async putSettings(principal: Principal, projectId: string, dto: UpdateNotificationSettingsDto): Promise<NotificationSettingsView> {
    await this.projects.findVisible(principal, projectId);
    const webhook = dto.webhook_url ?? null;
    const slack = dto.slack_webhook_url ?? null;
    const problems: { field: string; problems: string[] }[] = [];
    for (const [field, url] of [
      ['webhook_url', webhook],
      ['slack_webhook_url', slack],
    ] as const) {
      if (url === null) continue;
      const check = await this.targets.check(url);
      if (check.ok === false) problems.push({ field, problems: [`${field} ${check.reason}`] });
    }
    if (problems.length)
      throw ApiError.validation(`Invalid request: ${problems.map((p) => p.problems[0]).join('; ')}.`, { fields: problems });
    await this.db.query(
      `INSERT INTO notification_settings (project_id, webhook_url, slack_webhook_url, updated_at, updated_by,
                                          send_resolved, renotify_min, renotify_max, webhook_format,
                                          silence_during_deployments, deployment_silence_max_min)
       VALUES ($1, $2, $3, now(), $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (project_id) DO UPDATE SET webhook_url = EXCLUDED.webhook_url, slack_webhook_url = EXCLUDED.slack_webhook_url,
                                              updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by,
                                              send_resolved = EXCLUDED.send_resolved, renotify_min = EXCLUDED.renotify_min,
                                              renotify_max = EXCLUDED.renotify_max, webhook_format = EXCLUDED.webhook_format,
                                              silence_during_deployments = EXCLUDED.silence_during_deployments,
                                              deployment_silence_max_min = EXCLUDED.deployment_silence_max_min`,
      [
        projectId,
        webhook,
        slack,
        principal.userId,
        dto.send_resolved ?? true,
        dto.renotify_min ?? null,
        dto.renotify_max ?? RENOTIFY_LIMITS.defaultCount,
        dto.webhook_format ?? 'seqpulse',
        dto.silence_during_deployments ?? false,
        dto.deployment_silence_max_min ?? DEPLOYMENT_SILENCE_LIMITS.defaultMinutes,
      ],
    );
    return this.settingsView(projectId);
  }

  async listDeliveries(principal: Principal, projectId: string, limit: number): Promise<NotificationDeliveryView[]> {
    await this.projects.findVisible(principal, projectId);
    const rows: DeliveryRow[] = await this.db.query(
      `SELECT d.id, d.alert_id, d.deployment_id, d.channel, d.transition, d.url, d.status, d.attempts, d.next_attempt_at, d.created_at, d.delivered_at,
              coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'at', a.at, 'http_status', a.http_status, 'ok', a.ok,
                                                          'error', a.error, 'duration_ms', a.duration_ms) ORDER BY a.id)
                          FROM notification_attempts a WHERE a.delivery_id = d.id), '[]') AS attempt_log
         FROM notification_deliveries d
        WHERE d.project_id = $1
        ORDER BY d.created_at DESC, d.id
        LIMIT $2`,
      [projectId, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      alert_id: r.alert_id,
      deployment_id: r.deployment_id,
      channel: r.channel,
      transition: r.transition,
      url: r.url,
      status: r.status,
      attempts: r.attempts,
      next_attempt_at: r.status === 'pending' ? isoSeconds(r.next_attempt_at) : null,
      created_at: isoSeconds(r.created_at),
      delivered_at: isoOrNull(r.delivered_at),
      attempt_log: r.attempt_log.map((a) => ({ ...a, at: isoSeconds(new Date(a.at)) })),
    }));
  }

  /** The alert deliveries of a project's alerts (for their timelines), oldest first. */
  async alertDeliveries(
    projectId: string,
    alertIds: string[],
  ): Promise<{ alert_id: string; channel: 'webhook' | 'slack'; transition: 'firing' | 'resolved'; status: DeliveryStatus; at: Date }[]> {
    if (alertIds.length === 0) return [];
    return this.db.query(
      `SELECT alert_id, channel, transition, status, coalesce(delivered_at, created_at) AS at
         FROM notification_deliveries
        WHERE project_id = $1 AND alert_id = ANY($2::uuid[])
        ORDER BY created_at, seq, channel`,
      [projectId, alertIds],
    );
  }

  /**
   * Announces transitions inside the caller's transaction: one `pg_notify` per transition (delivered to
   * listeners at commit) and one outbox row per configured channel, due at `now`.
   */
  async announce(tx: Queryable, events: AlertTransitionEvent[], now: Date): Promise<number> {
    if (events.length === 0) return 0;
    const notices = events.map((e) => JSON.stringify({ project_id: e.projectId, alert: e.alert } satisfies AlertStreamNotice));
    await tx.query(`SELECT pg_notify($1, n) FROM unnest($2::text[]) WITH ORDINALITY AS u(n, i) ORDER BY i`, [
      ALERTS_NOTIFY_CHANNEL,
      notices,
    ]);

    const projectIds = [...new Set(events.map((e) => e.projectId))];
    const settings: SettingsRow[] = await tx.query(
      `SELECT ns.project_id, ns.webhook_url, ns.slack_webhook_url, ns.send_resolved, ns.webhook_format
         FROM notification_settings ns
        WHERE ns.project_id = ANY($1::uuid[]) AND (ns.webhook_url IS NOT NULL OR ns.slack_webhook_url IS NOT NULL)`,
      [projectIds],
    );
    const names = settings.length ? await this.projects.namesOf(settings.map((s) => s.project_id)) : new Map<string, string>();
    const byProject = new Map(settings.map((s) => [s.project_id, { ...s, name: names.get(s.project_id) ?? s.project_id }]));
    const rows: OutboxRow[] = [];
    for (const event of events) {
      const s = byProject.get(event.projectId);
      // Streamed above; sent only when announced (not silenced) and, for a resolution, when the project wants those.
      if (!s || event.deliver === false || (event.transition === 'resolved' && !s.send_resolved)) continue;
      const base = { projectId: event.projectId, subjectId: event.alert.id, transition: event.transition, seq: event.seq ?? 0 };
      const link = alertDashboardUrl(this.config.publicUrl, event);
      rows.push(
        ...channelRows(
          s,
          base,
          (id) =>
            s.webhook_format === 'alertmanager'
              ? alertmanagerMessage(event, s.name, link, this.config.publicUrl)
              : webhookPayload(id, event, s.name, link),
          () => slackMessage(event, s.name, link),
        ),
      );
    }
    return queueDeliveries(tx, 'alert_id', rows, this.config.SEQPULSE_NOTIFY_MAX_ATTEMPTS, now);
  }

  private async settingsView(projectId: string): Promise<NotificationSettingsView> {
    const [row] = await this.db.query(
      `SELECT webhook_url, slack_webhook_url, updated_at, send_resolved, renotify_min, renotify_max, webhook_format,
              silence_during_deployments, deployment_silence_max_min
         FROM notification_settings WHERE project_id = $1`,
      [projectId],
    );
    return {
      project_id: projectId,
      webhook_url: row?.webhook_url ?? null,
      slack_webhook_url: row?.slack_webhook_url ?? null,
      updated_at: isoOrNull(row?.updated_at),
      // Options at their defaults are left out, so a project that never set them reads as before.
      ...(row && !row.send_resolved ? { send_resolved: false } : {}),
      ...(row?.renotify_min ? { renotify_min: row.renotify_min, renotify_max: row.renotify_max } : {}),
      ...(row && row.webhook_format !== 'seqpulse' ? { webhook_format: row.webhook_format } : {}),
      ...(row?.silence_during_deployments
        ? { silence_during_deployments: true, deployment_silence_max_min: row.deployment_silence_max_min }
        : {}),
    };
  }
}

interface DeliveryRow {
  id: string;
  alert_id: string | null;
  deployment_id: string | null;
  channel: 'webhook' | 'slack';
  transition: NotificationDeliveryView['transition'];
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: Date;
  created_at: Date;
  delivered_at: Date | null;
  attempt_log: { attempt: number; at: string; http_status: number | null; ok: boolean; error: string | null; duration_ms: number }[];
}
