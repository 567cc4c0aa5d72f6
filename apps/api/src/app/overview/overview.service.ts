import { Injectable } from '@nestjs/common';
import { METRIC_NAMES, OVERVIEW_SPARK_MINUTES } from '@seqpulse/contracts';
import type { MetricName, OverviewEnv, OverviewProject, OverviewResponse } from '@seqpulse/contracts';
import { AlertsService } from '../alerts/alerts.service';
import type { Principal } from '../auth/principal';
import { isoSeconds } from '../common/time';
import { DeploymentsService } from '../deployments/deployments.service';
import { sparkKey } from '../samples/sparklines-sql';
import { TimeseriesService } from '../monitoring/timeseries.service';
import { ProjectsService } from '../projects/projects.service';
import { SamplesStore } from '../samples/samples.store';

export interface Overview {
  body: OverviewResponse;
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

const EMPTY_SPARK = (): Record<MetricName, (number | null)[]> =>
  Object.fromEntries(METRIC_NAMES.map((m) => [m, new Array<number | null>(OVERVIEW_SPARK_MINUTES).fill(null)])) as Record<
    MetricName,
    (number | null)[]
  >;

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
      timed(timings, 'deployments', this.deployments.latestPerEnv(ids)),
    ]);
    const latestBy = new Map(latest.map((s) => [sparkKey(s.projectId, s.env), s]));
    const firingBy = new Map(firing.map((f) => [sparkKey(f.projectId, f.env), f.firing]));
    const deploymentBy = new Map(deployments.map((d) => [sparkKey(d.projectId, d.env), d]));

    const projects: OverviewProject[] = visible.map((p) => {
      const monitoring = p.monitoring ?? { enabled: false, reason: 'plan_not_enterprise' as const };
      const envs: OverviewEnv[] = !monitoring.enabled
        ? []
        : p.envs.map((env) => {
            const key = sparkKey(p.id, env);
            const sample = latestBy.get(key);
            const deployment = deploymentBy.get(key);
            return {
              env,
              last_sample_at: sample ? isoSeconds(sample.collectedAt) : null,
              values: sample?.values ?? null,
              spark: sparks.get(key) ?? EMPTY_SPARK(),
              // every built-in rule fires at one level today: its threshold is the critical one
              firing: { warning: 0, critical: firingBy.get(key) ?? 0 },
              last_deployment: deployment
                ? {
                    deployment_id: deployment.id,
                    finished_at: deployment.finishedAt ? isoSeconds(deployment.finishedAt) : null,
                    result: deployment.result,
                    verdict: null,
                  }
                : null,
            };
          });
      return { project_id: p.id, name: p.name, plan: p.plan, monitoring, envs };
    });
    const accesses = visible
      .filter((p) => p.plan === 'enterprise')
      .map((p) => ({ projectId: p.id, status: p.monitoring?.enabled ? 200 : 403 }));
    return { body: { projects }, accesses, timings };
  }
}
