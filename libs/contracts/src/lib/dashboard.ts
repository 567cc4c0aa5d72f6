/**
 * Shapes the dashboard reads that the contract leaves to the implementation
 * (decided with the API engineer): admin views, scheduler failures, stream event names.
 */
import { Phase, SchedulerHealth } from './monitoring';
import { ProjectView, RolloutView } from './projects';

/** `GET /admin/projects`: every project, with its owner. */
export interface AdminProjectView extends ProjectView {
  owner_id: string;
}

/** `PUT /admin/rollout` body (same shape as the view). */
export type UpdateRolloutRequest = RolloutView;

/** One failed collection, as listed by `GET /health/scheduler` (admins) — the API's collection-failure view. */
export interface SchedulerFailure {
  project_id: string;
  env: string;
  /** The schedule slot the poll belonged to. */
  slot_at?: string;
  at: string;
  /** `timeout`, `connection_refused`, `http_status`, `invalid_payload`, `hmac_rejected`, … */
  reason: string;
  /** What went wrong (status, metric and value, …). */
  detail: Record<string, unknown> | string | null;
}

export interface SchedulerHealthView extends SchedulerHealth {
  requeued_last_15m?: number;
  polls_last_15m?: { succeeded: number; failed: number };
  schedule_lag_p99_ms?: number | null;
  failures_by_reason?: Record<string, number>;
  workers?: { id: string; role: string; heartbeat_age_s: number }[];
  /** Present for administrators only. */
  recent_failures?: SchedulerFailure[];
}

/** Query of `GET /admin/audit`. */
export interface AuditQuery {
  project_id?: string;
  from?: string;
  to?: string;
  limit?: number;
}

/** Query of `GET /monitoring/enterprise/alerts`. */
export interface AlertsQuery {
  project_id: string;
  state?: 'firing' | 'resolved';
  from?: string;
  to?: string;
  /** Keeps one env (docs/api.md, "Alerts"). */
  env?: string;
  /** 1..1000, default 500. */
  limit?: number;
}

/** Query of `GET /monitoring/enterprise/stream`. */
export interface StreamQuery {
  project_id: string;
  env?: string;
  phase?: Phase;
}

/** Names of the SSE events of `GET /monitoring/enterprise/stream` (heartbeats are comments). */
export const STREAM_EVENTS = ['sample', 'alert'] as const;
export type StreamEventName = (typeof STREAM_EVENTS)[number];
/** Seconds between two heartbeat comments on the stream. */
export const STREAM_HEARTBEAT_S = 15;
