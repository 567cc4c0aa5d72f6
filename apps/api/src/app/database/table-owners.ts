/**
 * Which module owns each table and view (docs/architecture.md, "Data access"). A module writes only its own
 * tables, and reads another module's data only through that module's services or through a relation the owner
 * publishes for set-based statements (`published: true`). `architecture.spec.ts` checks the SQL of every module
 * against this list; `table-owners.int-spec.ts` checks the list against the schema.
 */
export interface TableOwner {
  /** Folder under apps/api/src/app. */
  module: string;
  /** Other modules may read it in their own statements (never write it). */
  published?: boolean;
  view?: boolean;
}

export const TABLE_OWNERS: Readonly<Record<string, TableOwner>> = {
  users: { module: 'auth' },
  sessions: { module: 'auth' },
  /** Every account's id, email, role and whether it may act (`disabled`, `demo`): what other modules may know of users. */
  account_status: { module: 'auth', published: true, view: true },
  rate_limits: { module: 'rate-limits' },
  api_keys: { module: 'api-keys' },
  projects: { module: 'projects' },
  rollout_settings: { module: 'rollout' },
  rollout_pilot_projects: { module: 'rollout' },
  /** Every project with its plan, envs, poll interval and whether Realtime monitors it: THE "monitored" rule. */
  project_monitoring: { module: 'rollout', published: true, view: true },
  deployments: { module: 'deployments' },
  /** Every deployment with the end of its post-deployment observation window. */
  deployment_windows: { module: 'deployments', published: true, view: true },
  /** The time-series store: read by the alert evaluator's window scan and other set-based readers. */
  samples: { module: 'samples', published: true },
  samples_1m: { module: 'samples' },
  samples_15m: { module: 'samples' },
  samples_rollup_pending: { module: 'samples' },
  /** Closed days of the three tables above, one row of arrays per (project, env, day). */
  samples_archive: { module: 'samples' },
  samples_1m_archive: { module: 'samples' },
  samples_15m_archive: { module: 'samples' },
  /** The slots that failed for good (the poll slots' history; the next slot of each target is its lease). */
  jobs: { module: 'collection' },
  /** One row per monitored (project, env): its next slot, advanced in place. */
  poll_leases: { module: 'collection' },
  /** One row per collector flush: polls, durations and lags for the 15-minute figures. */
  poll_flush_stats: { module: 'collection' },
  collection_failures: { module: 'collection' },
  workers: { module: 'scheduler' },
  analysis_runs: { module: 'alerts' },
  alerts: { module: 'alerts' },
  alert_rules: { module: 'alerts' },
  alert_monitored_envs: { module: 'alerts' },
  alert_events: { module: 'alerts' },
  alert_silences: { module: 'alerts' },
  maintenance_windows: { module: 'alerts' },
  maintenance_intervals: { module: 'alerts' },
  notification_settings: { module: 'notifications' },
  notification_deliveries: { module: 'notifications' },
  notification_attempts: { module: 'notifications' },
  /** Per project with re-notification on: its interval and cap, for the evaluator's re-notification step. */
  alert_notification_policy: { module: 'notifications', published: true, view: true },
  /** Per project silencing its alerts during deployments: the cap in minutes after the trigger. */
  alert_deployment_silence: { module: 'notifications', published: true, view: true },
  access_records: { module: 'monitoring' },
  deployment_verdicts: { module: 'deployment-impact' },
  deployment_verdict_settings: { module: 'deployment-impact' },
};
