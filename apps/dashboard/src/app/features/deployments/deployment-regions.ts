import { DeploymentDetail, DeploymentEvent, DeploymentSummary } from '@seqpulse/contracts';
import { ChartRegionOverlay } from '../../charts/chart-options';
import { ChartTheme, VerdictState } from '../../charts/chart-theme';
import { formatDateTime } from '../../core/format';

export const VERDICT_LABELS: Record<VerdictState, string> = {
  ok: 'ok',
  warning: 'warning',
  rollback_recommended: 'rollback recommended',
  inconclusive: 'inconclusive',
  pending: 'pending',
};

/** Where region labels would overlap, the verdict that needs attention keeps its label (`ChartRegionOverlay.labelWeight`). */
export const VERDICT_LABEL_WEIGHT: Record<VerdictState, number> = {
  rollback_recommended: 3,
  warning: 2,
  pending: 1,
  inconclusive: 1,
  ok: 1,
};

/** `pending` while the deployment runs or before its first computation. */
export function verdictState(d: Pick<DeploymentSummary, 'verdict'>): VerdictState {
  return d.verdict ?? 'pending';
}

/** What a person recognises a deployment by: its branch, else its idempotency key, else its id. */
export function deploymentName(d: Pick<DeploymentSummary, 'deployment_id' | 'branch' | 'idempotency_key'>): string {
  return d.branch ?? d.idempotency_key ?? `deployment ${d.deployment_id.slice(0, 8)}`;
}

function resultText(d: DeploymentSummary): string {
  return d.result ?? (d.finished_at ? 'finished' : 'running');
}

/**
 * Deployments → the regions every metric chart draws: trigger → finish filled (a running one up to `now`),
 * then the observation window (`windowMs` after the finish; unknown → not drawn), coloured by verdict. Oldest
 * first, so where a release starts inside the previous one's observation window (a CI shipping twice in five
 * minutes) the newer one is drawn on top and is the one its hover names and its click opens.
 */
export function deploymentRegions(
  deployments: readonly DeploymentSummary[],
  windowMs: number | null,
  theme: ChartTheme,
  now: number,
): ChartRegionOverlay[] {
  const regions: ChartRegionOverlay[] = [];
  const oldestFirst = [...deployments].sort((a, b) => Date.parse(a.started_at) - Date.parse(b.started_at));
  for (const d of oldestFirst) {
    const from = Date.parse(d.started_at);
    const finished = d.finished_at ? Date.parse(d.finished_at) : null;
    if (!Number.isFinite(from) || (finished !== null && !Number.isFinite(finished))) continue;
    const state = verdictState(d);
    const label = VERDICT_LABELS[state];
    const tooltip = [`Deployment ${deploymentName(d)}`];
    if (d.branch && d.idempotency_key) tooltip.push(`key ${d.idempotency_key}`);
    tooltip.push(
      `result: ${resultText(d)}`,
      `verdict: ${label}${d.verdict ? (d.verdict_final ? ' (final)' : ' (live)') : ''}`,
      `started ${formatDateTime(d.started_at)}`,
    );
    regions.push({
      kind: 'region',
      id: d.deployment_id,
      label,
      tooltip,
      from,
      to: finished ?? Math.max(from, now),
      bandTo: finished !== null && windowMs !== null ? finished + windowMs : null,
      colour: theme.verdict[state],
      labelWeight: VERDICT_LABEL_WEIGHT[state],
    });
  }
  return regions;
}

/** The list row of a deployment read on its own (`GET /deployments/:id`). */
export function summaryFromDetail(d: DeploymentDetail): DeploymentSummary {
  return {
    deployment_id: d.deployment_id,
    env: d.env,
    branch: d.branch,
    idempotency_key: d.idempotency_key,
    started_at: d.started_at,
    finished_at: d.finished_at,
    result: d.result,
    verdict: d.verdict?.value ?? null,
    verdict_final: d.verdict?.final ?? false,
  };
}

/** Inserts or replaces a deployment by id; the list stays newest first (by trigger). */
export function upsertDeployment(list: readonly DeploymentSummary[], row: DeploymentSummary): DeploymentSummary[] {
  const rest = list.filter((d) => d.deployment_id !== row.deployment_id);
  return [...rest, row].sort((a, b) => Date.parse(b.started_at) - Date.parse(a.started_at));
}

/**
 * A live `deployment` event applied to the list: a verdict of a listed deployment is patched in place; a start, a
 * finish or an unknown deployment needs the deployment's fields, so `fetch` names it (the store reads it).
 */
export function applyDeploymentEvent(
  list: readonly DeploymentSummary[],
  event: DeploymentEvent,
): { list: readonly DeploymentSummary[]; fetch: string | null } {
  const known = list.find((d) => d.deployment_id === event.deployment_id);
  if (event.state === 'verdict' && known && event.verdict) {
    const patched = { ...known, verdict: event.verdict, verdict_final: event.final ?? known.verdict_final };
    return { list: list.map((d) => (d === known ? patched : d)), fetch: null };
  }
  return { list, fetch: event.deployment_id };
}

/** The observation window's length, learnt from one deployment read on its own; null when it does not say. */
export function observationWindowMs(d: DeploymentDetail): number | null {
  if (!d.finished_at || !d.window_ends_at) return null;
  const ms = Date.parse(d.window_ends_at) - Date.parse(d.finished_at);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}
