/**
 * Deployment impact and verdicts (api-contract.md, "Deployment verdicts"). The rule catalogue with its
 * defaults lives in the API (`deployment-impact/verdict-rules.ts`); these are the shapes on the wire.
 */
import type { MetricName } from './metrics';
import type { DeploymentResult } from './deployments';

export const VERDICTS = ['ok', 'warning', 'rollback_recommended', 'inconclusive'] as const;

/**
 * The metric-bound part of the verdict rule catalogue (the API's `deployment-impact/verdict-rules.ts` applies it):
 * an absolute limit on the post mean per metric (its value is a per-project setting of the same name), and the
 * regressions against the pre window with their warning and rollback steps (absolute and relative rise).
 */
export const VERDICT_LIMIT_RULES = {
  latency_p95_limit: { metric: 'latency_p95' },
  error_rate_limit: { metric: 'error_rate' },
  cpu_usage_limit: { metric: 'cpu_usage' },
  memory_usage_limit: { metric: 'memory_usage' },
} as const satisfies Record<string, { metric: MetricName }>;

export const VERDICT_REGRESSION_RULES = {
  error_rate_regression: { metric: 'error_rate', warning: { abs: 0.002, rel: 0.5 }, rollback: { abs: 0.005, rel: 1 } },
  latency_p95_regression: { metric: 'latency_p95', warning: { abs: 20, rel: 0.2 }, rollback: { abs: 100, rel: 0.5 } },
} as const satisfies Record<string, { metric: MetricName; warning: { abs: number; rel: number }; rollback: { abs: number; rel: number } }>;
export type Verdict = (typeof VERDICTS)[number];

/** Names of the verdict rules, one per `reasons[].rule`. */
export const VERDICT_RULE_NAMES = [
  'latency_p95_limit',
  'error_rate_limit',
  'cpu_usage_limit',
  'memory_usage_limit',
  'error_rate_regression',
  'latency_p95_regression',
  'too_few_post_samples',
  'low_post_coverage',
] as const;
export type VerdictRuleName = (typeof VERDICT_RULE_NAMES)[number];

export interface VerdictReason {
  rule: VerdictRuleName;
  metric: MetricName | null;
  /** The measured value the rule compared (post mean, change, or a sample count). */
  value: number | null;
  /** The limit it was compared with. */
  limit: number | null;
  /** What the rule concluded: `warning`, `rollback_recommended` or `inconclusive`. */
  verdict: Exclude<Verdict, 'ok'>;
  message: string;
}

export interface WindowStats {
  /** Samples stored in the window (gaps are not samples). */
  count: number;
  /** null when the window holds no sample. */
  mean: number | null;
  /** 95th percentile of the window's samples (linear interpolation); null when empty. */
  p95: number | null;
}

export interface MetricImpact {
  pre: WindowStats;
  post: WindowStats;
  /** post.mean − pre.mean; null when either window is empty. */
  change_abs: number | null;
  /** change_abs / pre.mean; null when undefined (empty window or pre mean 0). */
  change_rel: number | null;
  /** Mann-Whitney U (two-sided p < 0.001) and a shift of medians beyond the pre window's MAD; null when untestable. */
  significant: boolean | null;
  /** p-value of the rank test, null when untestable. */
  p_value: number | null;
}

export interface DeploymentImpact {
  pre: { from: string; to: string };
  post: { from: string; to: string };
  metrics: Record<MetricName, MetricImpact>;
}

export interface VerdictView {
  value: Verdict;
  final: boolean;
  reasons: VerdictReason[];
  computed_at: string;
}

/** One row of `GET /monitoring/enterprise/deployments`. */
export interface DeploymentSummary {
  deployment_id: string;
  env: string;
  branch: string | null;
  idempotency_key: string | null;
  started_at: string;
  finished_at: string | null;
  result: DeploymentResult | null;
  /** null while the deployment runs (no post window yet) and until its first computation. */
  verdict: Verdict | null;
  verdict_final: boolean;
}

export interface DeploymentListResponse {
  deployments: DeploymentSummary[];
}

/** `GET /deployments/:id`. */
export interface DeploymentDetail extends Omit<DeploymentSummary, 'verdict' | 'verdict_final'> {
  project_id: string;
  /** When the observation window closes (finished_at + the project's window); null while running. */
  window_ends_at: string | null;
  /** null while the deployment runs (no post window yet). */
  impact: DeploymentImpact | null;
  verdict: VerdictView | null;
}

/** `GET /deployments/:id/verdict?wait=`. */
export interface VerdictResponse {
  deployment_id: string;
  verdict: Verdict | null;
  final: boolean;
  reasons: VerdictReason[];
}

/** `event: deployment` on the live stream, and the payload of the `seqpulse_deployments` NOTIFY. */
export interface DeploymentEvent {
  deployment_id: string;
  env: string;
  state: 'started' | 'finished' | 'verdict';
  verdict?: Verdict;
  final?: boolean;
}

/** Postgres channel of deployment events (started/finished by a trigger on `deployments`, verdicts by the evaluator). */
export const DEPLOYMENTS_NOTIFY_CHANNEL = 'seqpulse_deployments';

export interface DeploymentStreamNotice extends DeploymentEvent {
  project_id: string;
}

/** Body of the outgoing webhook when a verdict becomes warning/rollback_recommended or final. */
export interface VerdictWebhookPayload {
  delivery_id: string;
  type: 'deployment.verdict';
  project_id: string;
  project_name: string;
  deployment: DeploymentSummary;
  verdict: VerdictView;
  impact: DeploymentImpact;
  dashboard_url: string;
  occurred_at: string;
}
