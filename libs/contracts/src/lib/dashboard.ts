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

/** One failed collection, as listed by `GET /health/scheduler`. */
export interface SchedulerFailure {
  project_id: string;
  env: string;
  /** Machine-readable reason (e.g. `timeout`, `invalid_sample`, `http_500`). */
  reason: string;
  /** Human detail (which metric, which status …). */
  detail: string | null;
  at: string;
}

export interface SchedulerHealthView extends SchedulerHealth {
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
