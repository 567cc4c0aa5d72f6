import { MetricName, MetricValues } from './metrics';
import { MonitoringStatus, Plan } from './projects';
import { Verdict } from './verdicts';

/** Minutes in an overview sparkline: one mean per minute over the last hour, oldest first. */
export const OVERVIEW_SPARK_MINUTES = 60;

export interface OverviewLastDeployment {
  deployment_id: string;
  finished_at: string | null;
  result: 'success' | 'failed' | null;
  /** The deployment's verdict as last computed by the verdict pass; `null` until its first computation. */
  verdict: Verdict | null;
}

export interface OverviewEnv {
  env: string;
  /** `null`: no sample stored yet. */
  last_sample_at: string | null;
  /** The values of the last sample (contract units); `null` without a sample. */
  values: MetricValues | null;
  /** Per metric, 60 one-minute means (contract units), `null` for a minute without a sample. */
  spark: Record<MetricName, (number | null)[]>;
  firing: { warning: number; critical: number };
  last_deployment: OverviewLastDeployment | null;
}

export interface OverviewProject {
  project_id: string;
  name: string;
  plan: Plan;
  monitoring: MonitoringStatus;
  /** Empty for a project without Realtime (see `monitoring`). */
  envs: OverviewEnv[];
}

/** `GET /monitoring/enterprise/overview`. */
export interface OverviewResponse {
  projects: OverviewProject[];
}
