import { METRIC_NAMES } from '@seqpulse/contracts';
import type { DeploymentImpact, MetricImpact, MetricName, DeploymentSummary } from '@seqpulse/contracts';
import { isoOrNull, isoSeconds } from '../common/time';
import type { DeploymentRow } from '../deployments/deployments.repository';
import type { SampleWindow, WindowSamples } from '../samples/samples.store';
import type { ComputedVerdict } from './interfaces/verdict-row';
import { metricImpact, PreparedPre, preparePre } from './statistics';
import { decideVerdict, VerdictSettings } from './verdict-rules';

/**
 * Samples collected before the window closes are stored within the collection lag (plus a batch flush); a
 * verdict is final once this long has passed after the close, so the last samples are in.
 */
export const FINAL_AFTER_CLOSE_S = 10;

export interface ObservationWindows {
  pre: SampleWindow;
  /** The whole post window ([finished_at, finished_at + window)); null while the deployment runs. */
  post: SampleWindow | null;
  closesAt: Date | null;
}

/**
 * The windows of a deployment: `pre` is the observation window's length before the trigger, `post` the
 * observation window after the finish (the same rule that labels samples `post`).
 */
export function windowsOf(d: DeploymentRow): ObservationWindows {
  const lengthMs = d.post_window_min * 60_000;
  const pre = { projectId: d.project_id, env: d.env, from: new Date(d.started_at.getTime() - lengthMs), to: d.started_at };
  if (!d.finished_at) return { pre, post: null, closesAt: null };
  const closesAt = new Date(d.finished_at.getTime() + lengthMs);
  return { pre, post: { projectId: d.project_id, env: d.env, from: d.finished_at, to: closesAt }, closesAt };
}

/** The post window as far as it has elapsed at `now`. */
export function elapsedPost(w: ObservationWindows, now: Date): SampleWindow | null {
  if (!w.post) return null;
  return { ...w.post, to: new Date(Math.min(now.getTime(), w.post.to.getTime())) };
}

/** A pre window prepared once for all the comparisons of a deployment's open window (statistics.ts `preparePre`). */
export type PreparedPreWindow = Record<MetricName, PreparedPre>;

export function preparePreWindow(pre: WindowSamples): PreparedPreWindow {
  return Object.fromEntries(METRIC_NAMES.map((m) => [m, preparePre(pre[m])])) as PreparedPreWindow;
}

export function impactOf(
  w: ObservationWindows,
  pre: WindowSamples | PreparedPreWindow,
  post: WindowSamples,
  now: Date,
): DeploymentImpact | null {
  const postElapsed = elapsedPost(w, now);
  if (!postElapsed) return null;
  const metrics = {} as Record<MetricName, MetricImpact>;
  for (const m of METRIC_NAMES) metrics[m] = metricImpact(pre[m], post[m]);
  return {
    pre: { from: isoSeconds(w.pre.from), to: isoSeconds(w.pre.to) },
    post: { from: isoSeconds(postElapsed.from), to: isoSeconds(postElapsed.to) },
    metrics,
  };
}

/** Impact and verdict of one finished deployment at `now` (null while it runs). */
export function computeVerdict(
  d: DeploymentRow,
  pre: WindowSamples | PreparedPreWindow,
  post: WindowSamples,
  settings: VerdictSettings,
  now: Date,
): ComputedVerdict | null {
  const w = windowsOf(d);
  const impact = impactOf(w, pre, post, now);
  if (!impact || !w.post || !w.closesAt) return null;
  const postElapsedS = Math.max(0, (Math.min(now.getTime(), w.closesAt.getTime()) - w.post.from.getTime()) / 1000);
  const outcome = decideVerdict({ metrics: impact.metrics, settings, postElapsedS, pollIntervalS: d.poll_interval_s });
  return {
    deployment_id: d.id,
    project_id: d.project_id,
    verdict: outcome.value,
    final: now.getTime() >= w.closesAt.getTime() + FINAL_AFTER_CLOSE_S * 1000,
    reasons: outcome.reasons,
    impact,
    computed_at: now,
  };
}

export function summaryOf(d: DeploymentRow, verdict: { verdict: ComputedVerdict['verdict']; final: boolean } | null): DeploymentSummary {
  return {
    deployment_id: d.id,
    env: d.env,
    branch: d.branch,
    idempotency_key: d.idempotency_key,
    started_at: isoSeconds(d.started_at),
    finished_at: isoOrNull(d.finished_at),
    result: d.result,
    verdict: verdict?.verdict ?? null,
    verdict_final: verdict?.final ?? false,
  };
}
