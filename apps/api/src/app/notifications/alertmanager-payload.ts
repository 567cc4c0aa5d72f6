import { createHash } from 'node:crypto';
import type { AlertTransitionEvent } from './messages';
import { describeValue } from './messages';

/** Alertmanager's webhook body, version 4 (its notify/webhook `Message` wrapping template `Data`). */
export interface AlertmanagerMessage {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  notification_reason: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  routeLabels: Record<string, string>;
  externalURL: string;
  alerts: {
    status: 'firing' | 'resolved';
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
    generatorURL: string;
    fingerprint: string;
  }[];
}

/** Go's zero `time.Time`, which Alertmanager sends as `endsAt` of an alert still firing. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * One alert transition as Alertmanager would post it to a webhook receiver: a group of one alert keyed by
 * project, env and rule, so receivers written for Alertmanager (routing on `alertname`, `severity`) work unchanged.
 */
export function alertmanagerMessage(
  event: AlertTransitionEvent,
  projectName: string,
  dashboardUrl: string,
  externalUrl: string,
): AlertmanagerMessage {
  const a = event.alert;
  const labels = {
    alertname: a.rule,
    env: a.env,
    project: projectName,
    project_id: event.projectId,
    severity: a.level ?? 'critical',
  };
  const annotations = {
    summary: `${a.rule} ${event.transition} on ${projectName} (${a.env})`,
    description: describeValue(a.rule, a.value, a.threshold),
    dashboard: dashboardUrl,
  };
  const groupLabels = { alertname: a.rule, env: a.env, project_id: event.projectId };
  return {
    version: '4',
    groupKey: `{}:{alertname="${a.rule}", env="${a.env}", project_id="${event.projectId}"}`,
    truncatedAlerts: 0,
    status: event.transition,
    receiver: 'seqpulse',
    notification_reason: notificationReason(event),
    groupLabels,
    commonLabels: labels,
    commonAnnotations: annotations,
    routeLabels: {},
    externalURL: externalUrl,
    alerts: [
      {
        status: event.transition,
        labels,
        annotations,
        startsAt: a.started_at,
        endsAt: a.resolved_at ?? GO_ZERO_TIME,
        generatorURL: dashboardUrl,
        // Alertmanager fingerprints the label set: a level change is another alert to it.
        fingerprint: createHash('sha256').update(`${a.id}|${labels.severity}`).digest('hex').slice(0, 16),
      },
    ],
  };
}

/** Alertmanager's wording of why it notifies (its `NotifyReason` strings). */
function notificationReason(event: AlertTransitionEvent): string {
  if (event.transition === 'resolved') return 'all alerts resolved';
  if (event.renotification) return 'repeat interval elapsed';
  return event.opened === false ? 'new alerts added' : 'first notification';
}
