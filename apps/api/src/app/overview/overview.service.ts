import { Injectable } from '@nestjs/common';
import type { OverviewEnv, OverviewProject } from '@seqpulse/contracts';
import { AlertLevel, AlertsService } from '../alerts/alerts.service';
import type { Principal } from '../auth/principal';
import { isoSeconds } from '../common/time';
import { DeploymentImpactService } from '../deployment-impact/deployment-impact.service';
import { DeploymentsService } from '../deployments/deployments.service';
import { emptySpark, sparkItems, sparkJson, sparkKey } from '../samples/sparklines-sql';
import { TimeseriesService } from '../monitoring/timeseries.service';
import { ProjectsService } from '../projects/projects.service';
import { SamplesStore } from '../samples/samples.store';

export interface Overview {
  /** The `OverviewResponse` as JSON text. */
  json: string;
  /** The Enterprise projects of the answer and the status each access is recorded with. */
  accesses: { projectId: string; status: number }[];
  /** Milliseconds spent per part (the `Server-Timing` header). */
  timings: Record<string, number>;
}

/** Runs a read and notes how long it took. */
async function timed<T>(timings: Record<string, number>, name: string, read: Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await read;
  } finally {
    timings[name] = performance.now() - started;
  }
}

const NO_FIRING: Record<AlertLevel, number> = { warning: 0, critical: 0 };

/** The `spark` object of an env without any sample in the hour. */
const EMPTY_SPARK_JSON = sparkJson(sparkItems(emptySpark()));

/** `{"a":1}` + the JSON of a key and its value already serialised + `{"b":2}` → `{"a":1,"key":…,"b":2}`. */
function spliceJson(head: object, key: string, valueJson: string, tail: object): string {
  return `${JSON.stringify(head).slice(0, -1)},"${key}":${valueJson},${JSON.stringify(tail).slice(1)}`;
}

/**
 * The overview of every project the caller sees, for one page refresh: the visible projects with their monitoring
 * status, then, for the monitored ones only, four set-based reads in parallel (last sample, sparklines, firing
 * alerts, last deployment), each owned by its module. A fixed number of statements whatever the project count.
 */
@Injectable()
export class OverviewService {
  constructor(
    private readonly projects: ProjectsService,
    private readonly samples: SamplesStore,
    private readonly timeseries: TimeseriesService,
    private readonly alerts: AlertsService,
    private readonly deployments: DeploymentsService,
    private readonly deploymentImpact: DeploymentImpactService,
  ) {}

  async build(principal: Principal, now = Date.now()): Promise<Overview> {
    const timings: Record<string, number> = {};
    const visible = await timed(timings, 'projects', this.projects.listVisible(principal));
    const monitored = visible.filter((p) => p.monitoring?.enabled);
    const ids = monitored.map((p) => p.id);
    const pairs = monitored.flatMap((p) => p.envs.map((env) => ({ projectId: p.id, env })));
    const [latest, sparks, firing, deployments] = await Promise.all([
      timed(timings, 'latest', this.samples.latestPerEnv(pairs)),
      timed(timings, 'sparklines', this.timeseries.sparklines(pairs, now)),
      timed(timings, 'alerts', this.alerts.firingCounts(ids)),
      timed(timings, 'deployments', this.lastDeployments(ids)),
    ]);
    const latestBy = new Map(latest.map((s) => [sparkKey(s.projectId, s.env), s]));
    const firingBy = new Map(firing.map((f) => [sparkKey(f.projectId, f.env), f.firing]));
    const deploymentBy = new Map(deployments.map((d) => [sparkKey(d.projectId, d.env), d]));

    // The answer is written as JSON text: the sparklines come as text (120,000 numbers for 400 envs), the rest is
    // serialised around them in the contract's field order.
    const envJson = (projectId: string, env: string): string => {
      const key = sparkKey(projectId, env);
      const sample = latestBy.get(key);
      const deployment = deploymentBy.get(key);
      const head = { env, last_sample_at: sample ? isoSeconds(sample.collectedAt) : null, values: sample?.values ?? null };
      const tail: Omit<OverviewEnv, 'env' | 'last_sample_at' | 'values' | 'spark'> = {
        firing: firingBy.get(key) ?? NO_FIRING,
        last_deployment: deployment
          ? {
              deployment_id: deployment.id,
              finished_at: deployment.finishedAt ? isoSeconds(deployment.finishedAt) : null,
              result: deployment.result,
              verdict: deployment.verdict,
            }
          : null,
      };
      return spliceJson(head, 'spark', sparks.get(key) ?? EMPTY_SPARK_JSON, tail);
    };
    const projectsJson = visible.map((p) => {
      const monitoring = p.monitoring ?? { enabled: false, reason: 'plan_not_enterprise' as const };
      const envs = monitoring.enabled ? p.envs.map((env) => envJson(p.id, env)) : [];
      const head: Omit<OverviewProject, 'envs'> = { project_id: p.id, name: p.name, plan: p.plan, monitoring };
      return `${JSON.stringify(head).slice(0, -1)},"envs":[${envs.join(',')}]}`;
    });
    const accesses = visible
      .filter((p) => p.plan === 'enterprise')
      .map((p) => ({ projectId: p.id, status: p.monitoring?.enabled ? 200 : 403 }));
    return { json: `{"projects":[${projectsJson.join(',')}]}`, accesses, timings };
  }

  /** The newest deployment of each env of these projects, with the verdict the deployment-impact module stored. */
  private async lastDeployments(projectIds: string[]) {
    const deployments = await this.deployments.latestPerEnv(projectIds);
    const verdicts = await this.deploymentImpact.storedVerdicts(deployments.map((d) => d.id));
    return deployments.map((d) => ({ ...d, verdict: verdicts.get(d.id) ?? null }));
  }
}
