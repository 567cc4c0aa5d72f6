import { ProjectView } from '@seqpulse/contracts';

export type MonitoringBadge = { text: string; tone: 'ok' | 'warn' | 'muted' };

/** One short phrase for a project's realtime status, for lists. */
export function monitoringBadge(project: ProjectView): MonitoringBadge {
  const m = project.monitoring;
  if (m?.enabled) return { text: 'Realtime on', tone: 'ok' };
  if (m?.reason === 'monitoring_not_enabled') return { text: 'Not enabled yet', tone: 'warn' };
  if (m?.reason === 'plan_not_enterprise' || project.plan !== 'enterprise') return { text: 'Needs Enterprise', tone: 'muted' };
  return { text: 'Unknown', tone: 'muted' };
}
