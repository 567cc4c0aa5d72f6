import { MetricName, MetricValues } from './metrics';
import type { AlertRuleName } from './alert-rule-catalogue';

export const PHASES = ['pre', 'post'] as const;
export type Phase = (typeof PHASES)[number];

/** Allowed `step` values and their length in seconds. */
export const STEP_SECONDS = {
  '15s': 15,
  '30s': 30,
  '60s': 60,
  '5m': 300,
  '15m': 900,
  '1h': 3600,
} as const;
export type Step = keyof typeof STEP_SECONDS;
export const STEPS = Object.keys(STEP_SECONDS) as Step[];

/** More points than this per series is `range_too_large`. */
export const MAX_POINTS_PER_SERIES = 11_000;
/** Target number of points when `step` is omitted: a chart-friendly density. */
export const DEFAULT_TARGET_POINTS = 1500;

/** The finest step that keeps a range near the target density (and within the point limit). */
export function defaultStepFor(rangeSeconds: number): Step {
  for (const step of STEPS) {
    if (rangeSeconds / STEP_SECONDS[step] <= DEFAULT_TARGET_POINTS) return step;
  }
  return '1h';
}

export interface TimeseriesPoint {
  t: string;
  v: number | null;
}

export interface DeploymentMarker {
  deployment_id: string;
  env: string;
  started_at: string;
  finished_at: string | null;
  result: 'success' | 'failed' | null;
}

export interface TimeseriesResponse {
  project_id: string;
  env: string;
  phase: Phase | null;
  step: Step;
  from: string;
  to: string;
  series: Record<MetricName, TimeseriesPoint[]>;
  deployments: DeploymentMarker[];
}

export interface TimeseriesQuery {
  project_id: string;
  from?: string;
  to?: string;
  step?: Step;
  env?: string;
  phase?: Phase;
}

/** Payload of an SSE `sample` event. */
export interface SampleEvent {
  t: string;
  env: string;
  phase: Phase;
  values: MetricValues;
}

export type AlertState = 'firing' | 'resolved';

export interface AlertView {
  id: string;
  rule: AlertRuleName;
  env: string;
  state: AlertState;
  value: number | null;
  threshold: number;
  started_at: string;
  resolved_at: string | null;
  resolution_reason?: string | null;
  /** The level the alert is at; absent = `critical` (a rule without a warning threshold has no other level). */
  level?: 'warning' | 'critical';
  /** Present (true) while a silence or maintenance window covers the alert: it opens and resolves but sends nothing. */
  silenced?: boolean;
}

export interface AlertRuleView {
  rule: AlertRuleName;
  env: string | null;
  threshold: number;
  enabled: boolean;
  /** Settings beyond the threshold, present only when set for this rule (docs/alerting.md). */
  warning?: number | null;
  recovery?: { critical?: number | null; warning?: number | null };
  window_min?: number;
  aggregation?: 'mean' | 'max' | 'min';
  min_samples?: number;
}

export interface AlertRulesResponse {
  project_id: string;
  rules: AlertRuleView[];
}

export interface AuditRecordView {
  id: string;
  at: string;
  user_id: string | null;
  api_key_id: string | null;
  project_id: string | null;
  route: string;
  params: Record<string, unknown>;
  status: number;
  client_ip: string | null;
}

export interface SchedulerHealth {
  status: 'ok' | 'degraded';
  timestamp: string;
  jobs: { pending: number; running: number; failed: number };
  stuck_running: number;
  avg_collection_ms: number | null;
  avg_analysis_ms: number | null;
  heartbeat_age_s: number | null;
  [extra: string]: unknown;
}
