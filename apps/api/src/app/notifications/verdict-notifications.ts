import { Injectable } from '@nestjs/common';
import type { DeploymentImpact, DeploymentSummary, VerdictView, VerdictWebhookPayload } from '@seqpulse/contracts';
import { isoSeconds } from '../common/time';
import { AppConfig } from '../config/app-config';
import { ProjectsService } from '../projects/projects.service';
import type { Queryable } from './notifications.service';
import { channelRows, OutboxRow, queueDeliveries } from './outbox-rows';

/** Why a verdict is announced: it became warning / rollback_recommended, or it is final. */
export type VerdictTransition = 'warning' | 'rollback_recommended' | 'final';

export interface VerdictNoticeEvent {
  projectId: string;
  transition: VerdictTransition;
  deployment: DeploymentSummary;
  verdict: VerdictView;
  impact: DeploymentImpact;
  at: Date;
}

interface SettingsRow {
  project_id: string;
  name: string;
  webhook_url: string | null;
  slack_webhook_url: string | null;
}

/**
 * Deployment verdict announcements through the same outbox as alerts (webhook, Slack; retried and recorded by
 * NotificationDispatcher), written in the caller's transaction: a verdict and its notifications commit together,
 * and each (deployment, transition, channel) is announced at most once.
 */
@Injectable()
export class VerdictNotifications {
  constructor(
    private readonly config: AppConfig,
    private readonly projects: ProjectsService,
  ) {}

  /** The dashboard view of one deployment (the comparison view). */
  dashboardUrl(projectId: string, deploymentId: string): string {
    return `${this.config.publicUrl}/app/projects/${projectId}?deployment=${deploymentId}`;
  }

  async enqueue(tx: Queryable, events: VerdictNoticeEvent[], now: Date): Promise<number> {
    if (events.length === 0) return 0;
    const settings: Omit<SettingsRow, 'name'>[] = await tx.query(
      `SELECT ns.project_id, ns.webhook_url, ns.slack_webhook_url FROM notification_settings ns
        WHERE ns.project_id = ANY($1::uuid[]) AND (ns.webhook_url IS NOT NULL OR ns.slack_webhook_url IS NOT NULL)`,
      [[...new Set(events.map((e) => e.projectId))]],
    );
    const names = settings.length ? await this.projects.namesOf(settings.map((s) => s.project_id)) : new Map<string, string>();
    const byProject = new Map(settings.map((s) => [s.project_id, { ...s, name: names.get(s.project_id) ?? s.project_id }]));
    const rows: OutboxRow[] = [];
    for (const event of events) {
      const s = byProject.get(event.projectId);
      if (!s) continue;
      const base = { projectId: event.projectId, subjectId: event.deployment.deployment_id, transition: event.transition };
      const link = this.dashboardUrl(event.projectId, event.deployment.deployment_id);
      rows.push(
        ...channelRows(
          s,
          base,
          (id): VerdictWebhookPayload => ({
            delivery_id: id,
            type: 'deployment.verdict',
            project_id: event.projectId,
            project_name: s.name,
            deployment: event.deployment,
            verdict: event.verdict,
            impact: event.impact,
            dashboard_url: link,
            occurred_at: isoSeconds(event.at),
          }),
          () => verdictSlackMessage(event, s.name, link),
        ),
      );
    }
    return queueDeliveries(tx, 'deployment_id', rows, this.config.SEQPULSE_NOTIFY_MAX_ATTEMPTS, now);
  }
}

const HEADLINE: Record<VerdictView['value'], string> = {
  ok: ':white_check_mark: *OK*',
  warning: ':warning: *WARNING*',
  rollback_recommended: ':rotating_light: *ROLLBACK RECOMMENDED*',
  inconclusive: ':grey_question: *INCONCLUSIVE*',
};

/** Slack mrkdwn: the verdict, the deployment, every reason with its numbers, and the link to the comparison view. */
export function verdictSlackMessage(event: VerdictNoticeEvent, projectName: string, link: string): { text: string } {
  const d = event.deployment;
  const what = [d.branch ? `\`${escapeSlack(d.branch)}\`` : null, d.idempotency_key ? `(${escapeSlack(d.idempotency_key)})` : null]
    .filter(Boolean)
    .join(' ');
  const state = event.verdict.final ? 'final verdict' : 'observation window still open';
  const reasons = event.verdict.reasons.map((r) => `• ${escapeSlack(r.message)}`).join('\n');
  return {
    text:
      `${HEADLINE[event.verdict.value]} deployment ${what || d.deployment_id} of *${escapeSlack(projectName)}* (${d.env}), ${state}` +
      `${reasons ? `\n${reasons}` : ''}\n<${link}|Open the comparison in SeqPulse>`,
  };
}

function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
