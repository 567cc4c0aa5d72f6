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
}

export function webhookPayload(deliveryId: string, event: AlertTransitionEvent, projectName: string): AlertWebhookPayload {
  return {
    delivery_id: deliveryId,
    type: `alert.${event.transition}`,
    project_id: event.projectId,
    project_name: projectName,
    alert: event.alert,
    occurred_at: isoSeconds(event.at),
  };
}

/** A Slack-compatible incoming-webhook body: `text` (mrkdwn) is all such receivers need. */
export function slackMessage(event: AlertTransitionEvent, projectName: string): { text: string } {
  const a = event.alert;
  const where = `*${escapeSlack(projectName)}* (${a.env})`;
  if (event.transition === 'firing') {
    return {
      text: `:rotating_light: *FIRING* \`${a.rule}\` on ${where}: ${describeValue(a.rule, a.value, a.threshold)} (since ${a.started_at})`,
    };
  }
  const minutes = a.resolved_at ? Math.max(0, Math.round((Date.parse(a.resolved_at) - Date.parse(a.started_at)) / 60_000)) : 0;
  const reason = a.resolution_reason ? `, ${a.resolution_reason.replace(/_/g, ' ')}` : '';
  return { text: `:white_check_mark: *RESOLVED* \`${a.rule}\` on ${where} after ${minutes} min${reason} (resolved at ${a.resolved_at})` };
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
