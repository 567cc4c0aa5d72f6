import { MetricName, MetricValues, MonitoringStatus, OverviewLastDeployment, OverviewResponse, Plan } from '@seqpulse/contracts';

/** How an env is doing, worst first. `off`: the project has no Realtime. */
export type Health = 'critical' | 'warning' | 'stale' | 'waiting' | 'ok' | 'off';
export const SEVERITY: Record<Health, number> = { critical: 5, warning: 4, stale: 3, waiting: 2, ok: 1, off: 0 };
export const HEALTH_LABEL: Record<Health, string> = {
  critical: 'Critical alert',
  warning: 'Warning',
  stale: 'No recent data',
  waiting: 'Waiting for data',
  ok: 'OK',
  off: 'No Realtime',
};
/** No sample for this long is "no recent data" (the `no_data` rule's default). */
export const STALE_AFTER_MS = 5 * 60_000;

export type OverviewSort = 'worst' | 'name' | 'age';

/** One line of the overview: an env of a monitored project, or a project without Realtime. */
export interface OverviewRow {
  key: string;
  projectId: string;
  name: string;
  plan: Plan;
  monitoring: MonitoringStatus;
  env: string | null;
  health: Health;
  firing: { warning: number; critical: number };
  lastSampleAt: number | null;
  values: MetricValues | null;
  spark: Record<MetricName, (number | null)[]> | null;
  lastDeployment: OverviewLastDeployment | null;
}

export function healthOf(firing: { warning: number; critical: number }, lastSampleAt: number | null, now: number): Health {
  if (firing.critical > 0) return 'critical';
  if (firing.warning > 0) return 'warning';
  if (lastSampleAt === null) return 'waiting';
  if (now - lastSampleAt > STALE_AFTER_MS) return 'stale';
  return 'ok';
}

export function toRows(response: OverviewResponse, now: number): OverviewRow[] {
  return response.projects.flatMap((p): OverviewRow[] => {
    const base = { projectId: p.project_id, name: p.name, plan: p.plan, monitoring: p.monitoring };
    if (!p.monitoring.enabled || p.envs.length === 0) {
      return [
        {
          ...base,
          key: p.project_id,
          env: null,
          health: 'off' as const,
          firing: { warning: 0, critical: 0 },
          lastSampleAt: null,
          values: null,
          spark: null,
          lastDeployment: null,
        },
      ];
    }
    return p.envs.map((e) => {
      const lastSampleAt = e.last_sample_at ? Date.parse(e.last_sample_at) : null;
      return {
        ...base,
        key: `${p.project_id}/${e.env}`,
        env: e.env,
        health: healthOf(e.firing, lastSampleAt, now),
        firing: e.firing,
        lastSampleAt,
        values: e.values,
        spark: e.spark,
        lastDeployment: e.last_deployment,
      };
    });
  });
}

const byName = (a: OverviewRow, b: OverviewRow) => a.name.localeCompare(b.name) || (a.env ?? '').localeCompare(b.env ?? '');

/** Worst first: health, then more firing alerts, then the older last sample, then by name. */
export function sortRows(rows: readonly OverviewRow[], sort: OverviewSort): OverviewRow[] {
  const copy = rows.slice();
  if (sort === 'name') return copy.sort(byName);
  if (sort === 'age') return copy.sort((a, b) => (a.lastSampleAt ?? -Infinity) - (b.lastSampleAt ?? -Infinity) || byName(a, b));
  return copy.sort(
    (a, b) =>
      SEVERITY[b.health] - SEVERITY[a.health] ||
      b.firing.critical + b.firing.warning - (a.firing.critical + a.firing.warning) ||
      (a.lastSampleAt ?? -Infinity) - (b.lastSampleAt ?? -Infinity) ||
      byName(a, b),
  );
}

/** Rows whose project or env name contains `text` (any case); with `problemsOnly`, only rows not OK. */
export function filterRows(rows: readonly OverviewRow[], text: string, problemsOnly: boolean): OverviewRow[] {
  const needle = text.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!needle || r.name.toLowerCase().includes(needle) || (r.env ?? '').includes(needle)) &&
      (!problemsOnly || (r.health !== 'ok' && r.health !== 'off')),
  );
}
