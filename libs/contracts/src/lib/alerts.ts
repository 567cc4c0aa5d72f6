/**
 * Alert shapes the contract leaves to the implementation (decided in the alerts issue): rule updates,
 * resolution reasons, the live-stream notice, notification settings, webhook payloads and deliveries.
 * The fixed shapes (`AlertView`, `AlertRuleView`, `AlertRulesResponse`, rule names and defaults) live in
 * `monitoring.ts`.
 */
import { AlertView } from './monitoring';
import type { AlertRuleName } from './alert-rule-catalogue';

/** Why an alert stopped firing (`AlertView.resolution_reason`). */
export const ALERT_RESOLUTION_REASONS = [
  /** A threshold rule's 5-minute mean is back at or under its threshold. */
  'recovered',
  /** `no_data`: a sample was stored again. */
  'sample_received',
  /** A threshold rule's window holds no stored sample any more: the mean is unknown (`no_data` covers the silence). */
  'no_samples_in_window',
  /** The rule was disabled for this project/env. */
  'rule_disabled',
  /** The env was removed from the project. */
  'env_removed',
  /** The project left the Enterprise plan. */
  'plan_not_enterprise',
  /** The project left the Realtime rollout. */
  'monitoring_not_enabled',
] as const;
export type AlertResolutionReason = (typeof ALERT_RESOLUTION_REASONS)[number];

/** One entry of `PUT /monitoring/enterprise/alert-rules`: `env` absent/null = the project-wide rule. */
export interface AlertRuleUpdate {
  rule: AlertRuleName;
  env?: string | null;
  threshold: number;
  enabled?: boolean;
  /** Warning threshold (crossed before `threshold`, the critical one); null/absent = no warning level. */
  warning?: number | null;
  /** Hysteresis: an alert of a level resolves (or steps down) only past its recovery threshold; default the level's threshold. */
  recovery?: { critical?: number | null; warning?: number | null } | null;
  /** 1..60, default 5. */
  window_min?: number;
  /** Default: the catalogue's (`mean` for the built-in rules). */
  aggregation?: 'mean' | 'max' | 'min';
  /** Stored samples the window needs before the rule may fire; default 1. */
  min_samples?: number;
}

/**
 * `PUT /monitoring/enterprise/alert-rules?project_id` body. It replaces the project's whole rule set:
 * a project-wide rule not listed goes back to its default, an env override not listed is removed.
 */
export interface PutAlertRulesRequest {
  rules: AlertRuleUpdate[];
}

/** Postgres channel carrying alert transitions to the live stream (`event: alert`). */
export const ALERTS_NOTIFY_CHANNEL = 'seqpulse_alerts';

/** Payload of one NOTIFY on `seqpulse_alerts`. */
export interface AlertStreamNotice {
  project_id: string;
  alert: AlertView;
}

/** `GET|PUT /projects/:id/notifications`. `null` = channel off. */
export interface NotificationSettingsView {
  project_id: string;
  /** Outgoing webhook: JSON `AlertWebhookPayload`, HMAC v2 signed with the project's secret. */
  webhook_url: string | null;
  /** Slack-compatible incoming webhook (`{"text": …}`). */
  slack_webhook_url: string | null;
  updated_at: string | null;
  /** Present only when not the default (true). */
  send_resolved?: boolean;
  /** Present only when set: minutes between re-notifications of a still-firing alert. */
  renotify_min?: number;
  /** Present only with `renotify_min`: at most this many re-notifications per alert. */
  renotify_max?: number;
  /** Present only when not the default (`seqpulse`). */
  webhook_format?: WebhookFormat;
  /** Present only when on: the env's alerts are silenced while one of its deployments runs (trigger to finish). */
  silence_during_deployments?: boolean;
  /** Present with `silence_during_deployments`: the hard cap, minutes after the trigger, past which it no longer silences. */
  deployment_silence_max_min?: number;
}

export const WEBHOOK_FORMATS = ['seqpulse', 'alertmanager'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/**
 * Silencing during deployments: a deployment silences its env's alerts from its trigger until it finishes, but
 * never longer than the project's cap (minutes after the trigger; a deployment never finished stops silencing).
 */
export const DEPLOYMENT_SILENCE_LIMITS = { maxMinutes: 240, defaultMinutes: 60 } as const;

/** Re-notification bounds: interval in minutes, and the cap on re-notifications per alert. */
export const RENOTIFY_LIMITS = { minMinutes: 1, maxMinutes: 1440, maxCount: 100, defaultCount: 10 } as const;

export interface UpdateNotificationSettingsRequest {
  webhook_url?: string | null;
  slack_webhook_url?: string | null;
  send_resolved?: boolean;
  renotify_min?: number | null;
  renotify_max?: number;
  webhook_format?: WebhookFormat;
  silence_during_deployments?: boolean;
  deployment_silence_max_min?: number;
}

/** Longest silence: 30 days (a longer mute is a disabled rule, which stays visible in the rule set). */
export const SILENCE_MAX_DURATION_S = 30 * 86_400;
/** `ended`: ended early ("End now", `DELETE`); `expired`: ran until its `ends_at`. */
export const SILENCE_STATES = ['active', 'pending', 'expired', 'ended'] as const;
export type SilenceState = (typeof SILENCE_STATES)[number];

/** `GET|POST /monitoring/enterprise/silences`. `env`/`rule` null = every env / every rule. */
export interface SilenceView {
  id: string;
  project_id: string;
  env: string | null;
  rule: AlertRuleName | null;
  starts_at: string;
  ends_at: string;
  comment: string;
  created_by: string | null;
  created_at: string;
  state: SilenceState;
  /** Who ended it early (email at that moment); null when it was not ended early. */
  ended_by: string | null;
}

export interface CreateSilenceRequest {
  env?: string | null;
  rule?: AlertRuleName | null;
  starts_at: string;
  ends_at: string;
  comment: string;
}

/** Longest maintenance occurrence: one day. */
export const MAINTENANCE_MAX_DURATION_MIN = 1440;

/** `GET|POST /monitoring/enterprise/maintenance-windows`. */
export interface MaintenanceWindowView {
  id: string;
  project_id: string;
  env: string | null;
  /** iCalendar RRULE (RFC 5545), e.g. `FREQ=WEEKLY;BYDAY=SU`; null = one-off. Occurrences keep `starts_at`'s local time in `time_zone`. */
  rrule: string | null;
  starts_at: string;
  duration_min: number;
  time_zone: string;
  comment: string;
  created_by: string | null;
  created_at: string;
  /** The next occurrences (at most 5) starting from now, or the current one. */
  next_occurrences: { starts_at: string; ends_at: string }[];
  /** With `?from&to`: every occurrence overlapping that range, past ones included (at most 500), for the charts. */
  occurrences?: { starts_at: string; ends_at: string }[];
}

export interface CreateMaintenanceWindowRequest {
  env?: string | null;
  rrule?: string | null;
  starts_at: string;
  duration_min: number;
  time_zone: string;
  comment: string;
}

export type AlertTransition = 'firing' | 'resolved';

/** Body of the outgoing webhook, one per alert transition. */
export interface AlertWebhookPayload {
  /** Unique per delivery; the same on every retry of that delivery (use it to de-duplicate). */
  delivery_id: string;
  type: `alert.${AlertTransition}`;
  project_id: string;
  project_name: string;
  alert: AlertView;
  /** When the transition happened (the evaluation time). */
  occurred_at: string;
  /** The alert's level at this transition. */
  level: 'warning' | 'critical';
  /** True on a re-notification of an alert still firing (`renotify_min`). */
  reminder?: boolean;
  /** The project's dashboard on the alert's env and firing period. */
  dashboard_url: string;
}

export const NOTIFICATION_CHANNELS = ['webhook', 'slack'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryAttemptView {
  attempt: number;
  at: string;
  /** HTTP status received, or null when no response (refused, timeout, address refused). */
  http_status: number | null;
  ok: boolean;
  error: string | null;
  duration_ms: number;
}

/** `GET /projects/:id/notifications/deliveries`: the outbox, newest first, with every attempt. */
export interface NotificationDeliveryView {
  id: string;
  /** The alert the delivery is about, or null for a deployment verdict. */
  alert_id: string | null;
  /** The deployment whose verdict the delivery announces, or null for an alert. */
  deployment_id: string | null;
  channel: NotificationChannel;
  /** Alerts: firing/resolved. Deployment verdicts: warning, rollback_recommended, final. */
  transition: AlertTransition | 'warning' | 'rollback_recommended' | 'final';
  url: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: string | null;
  created_at: string;
  delivered_at: string | null;
  attempt_log: DeliveryAttemptView[];
}

/** One entry of an alert's timeline (`GET /monitoring/enterprise/alert-history`). */
export interface AlertTimelineEntry {
  at: string;
  kind: 'opened' | 'escalated' | 'deescalated' | 'silenced' | 'unsilenced' | 'renotified' | 'resolved' | 'notification';
  level?: 'warning' | 'critical';
  value?: number | null;
  /** `notification` entries: the channel, what was announced and how the delivery went. */
  channel?: NotificationChannel;
  transition?: AlertTransition;
  status?: DeliveryStatus;
}

/** An alert of the history: the alert view with its level and silenced flag always present, and its timeline. */
export interface AlertHistoryEntry extends AlertView {
  level: 'warning' | 'critical';
  silenced: boolean;
  timeline: AlertTimelineEntry[];
}
