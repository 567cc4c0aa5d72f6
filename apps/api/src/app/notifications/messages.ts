import { alertRule, formatMetricValue, windowLabel } from '@seqpulse/contracts';
import { isoSeconds } from '../common/time';
import type { AlertRuleName, AlertTransition, AlertView, AlertWebhookPayload, ThresholdRuleName } from '@seqpulse/contracts';

/** One alert transition produced by an evaluation, to announce on every channel. */
export interface AlertTransitionEvent {
  projectId: string;
  transition: AlertTransition;
  alert: AlertView;
  /** The evaluation time. */
  at: Date;
  /** The alert opened at this evaluation (else: it changed or resolved). */
  opened?: boolean;
  /** False: streamed live but not sent on the channels (silenced, or a change that is not announced). Default true. */
  deliver?: boolean;
  /** Outbox sequence of this announcement of the alert: 0 for the opening and the resolution, then 1, 2… */
  seq?: number;
  /** A reminder that the alert is still firing (`renotify_min`). */
  renotification?: boolean;
}

export function webhookPayload(
  deliveryId: string,
  event: AlertTransitionEvent,
  projectName: string,
  dashboardUrl: string,
): AlertWebhookPayload {
  return {
    delivery_id: deliveryId,
    type: `alert.${event.transition}`,
    project_id: event.projectId,
    project_name: projectName,
    alert: event.alert,
    occurred_at: isoSeconds(event.at),
    level: event.alert.level ?? 'critical',
    ...(event.renotification ? { reminder: true } : {}),
    dashboard_url: dashboardUrl,
  };
}

/** Margin around an alert's firing period in its dashboard link. */
const LINK_MARGIN_MS = 15 * 60_000;

/** The project's dashboard on the alert's env, over its firing period with a margin either side. */
export function alertDashboardUrl(publicUrl: string, event: AlertTransitionEvent): string {
  const a = event.alert;
  const from = Date.parse(a.started_at) - LINK_MARGIN_MS;
  const to = (a.resolved_at ? Date.parse(a.resolved_at) : event.at.getTime()) + LINK_MARGIN_MS;
  const query = new URLSearchParams({ env: a.env, from: isoSeconds(new Date(from)), to: isoSeconds(new Date(to)), alert: a.id });
  return `${publicUrl}/app/projects/${event.projectId}?${query.toString()}`;
}

/** A Slack-compatible incoming-webhook body: `text` (mrkdwn) is all such receivers need. */
export function slackMessage(event: AlertTransitionEvent, projectName: string, dashboardUrl?: string): { text: string } {
  const a = event.alert;
  const where = `*${escapeSlack(projectName)}* (${a.env})`;
  const link = dashboardUrl ? ` <${dashboardUrl}|dashboard>` : '';
  if (event.transition === 'firing') {
    const what = `${event.renotification ? 'STILL FIRING' : 'FIRING'}* [${(a.level ?? 'critical').toUpperCase()}]`;
    return {
      text: `:rotating_light: *${what} \`${a.rule}\` on ${where}: ${describeValue(a.rule, a.value, a.threshold)} (since ${a.started_at})${link}`,
    };
  }
  const minutes = a.resolved_at ? Math.max(0, Math.round((Date.parse(a.resolved_at) - Date.parse(a.started_at)) / 60_000)) : 0;
  const reason = a.resolution_reason ? `, ${a.resolution_reason.replace(/_/g, ' ')}` : '';
  return {
    text: `:white_check_mark: *RESOLVED* \`${a.rule}\` on ${where} after ${minutes} min${reason} (resolved at ${a.resolved_at})${link}`,
  };
}

export function describeValue(rule: AlertRuleName, value: number | null, threshold: number): string {
  const definition = alertRule(rule);
  if (definition.kind === 'silence') return `no sample for ${value === null ? 'a while' : `${value} min`} (threshold ${threshold} min)`;
  const fmt = (v: number) => formatMetricValue(definition.metric, v);
  const comparison = definition.comparison === 'above' ? '>' : '<';
  return `${windowLabel(rule as ThresholdRuleName)} ${definition.metric} ${value === null ? 'unknown' : fmt(value)} ${comparison} threshold ${fmt(threshold)}`;
}

/** Slack mrkdwn control characters in user-chosen names. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
