export const PLANS = ['free', 'pro', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

/** Envs per plan (docs/api.md, "Projects"). */
export const MAX_ENVS_BY_PLAN: Readonly<Record<Plan, number>> = { free: 1, pro: 3, enterprise: 3 };
export const ENV_NAME_PATTERN = /^[a-z0-9-]{1,32}$/;
export const PROJECT_NAME_MAX_LENGTH = 100;
export const METRICS_ENDPOINT_MAX_LENGTH = 2048;

/** Why realtime monitoring is off for a project (an error code of the contract). */
export type MonitoringRefusal = 'plan_not_enterprise' | 'monitoring_not_enabled';

export interface MonitoringStatus {
  enabled: boolean;
  reason?: MonitoringRefusal;
}

export interface ProjectView {
  id: string;
  name: string;
  plan: Plan;
  envs: string[];
  metrics_endpoint: string;
  hmac_enabled: boolean;
  created_at: string;
  /** Poll interval in seconds (15..30). */
  poll_interval_s: number;
  /** Present for the owner (and admins). */
  monitoring?: MonitoringStatus;
  owner_id?: string;
}

/** Creation and secret rotation responses carry the HMAC secret once. */
export interface ProjectWithSecret extends ProjectView {
  hmac_secret?: string;
}

export interface CreateProjectRequest {
  name: string;
  envs: string[];
  metrics_endpoint: string;
  hmac_enabled?: boolean;
  poll_interval_s?: number;
}

export type UpdateProjectRequest = Partial<CreateProjectRequest>;

export interface SetPlanRequest {
  plan: Plan;
}

export const ROLLOUT_STAGES = ['pilot', 'general'] as const;
export type RolloutStage = (typeof ROLLOUT_STAGES)[number];

export interface RolloutView {
  stage: RolloutStage;
  pilot_project_ids: string[];
}

/** Seconds between two polls of one project/env. */
export const POLL_INTERVAL_DEFAULT_S = 15;
export const POLL_INTERVAL_MIN_S = 15;
export const POLL_INTERVAL_MAX_S = 30;
