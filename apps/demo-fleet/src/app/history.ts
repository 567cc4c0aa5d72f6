import { METRIC_NAMES } from '@seqpulse/contracts';
import { ActiveMode, BASELINE_MODE } from './modes';
import { computeMetrics } from './traffic-model';
import { targetProfile } from './target-profile';

const DAY_MS = 86_400_000;
/** At most this long per history request (one day of 15 s samples is 5,760 rows). */
export const MAX_HISTORY_MS = DAY_MS;
/** The past incident every prod target had: an error burst of 25 minutes, 3 days ago at 14:00 UTC. */
export const PAST_INCIDENT = { kind: 'error_burst' as const, daysAgo: 3, hourUtc: 14, durationMs: 25 * 60_000 };

/** The past incident of a target, relative to `nowMs` (prod targets only), or null. */
export function pastIncident(name: string, nowMs: number): { startMs: number; endMs: number } | null {
  if (!name.endsWith('-prod')) return null;
  const startMs = Math.floor(nowMs / DAY_MS) * DAY_MS - PAST_INCIDENT.daysAgo * DAY_MS + PAST_INCIDENT.hourUtc * 3_600_000;
  return { startMs, endMs: startMs + PAST_INCIDENT.durationMs };
}

function modeAt(incident: { startMs: number; endMs: number } | null, t: number): ActiveMode {
  if (!incident || t < incident.startMs || t >= incident.endMs) return BASELINE_MODE;
  return {
    mode: PAST_INCIDENT.kind,
    source: 'schedule',
    elapsedMs: t - incident.startMs,
    durationMs: PAST_INCIDENT.durationMs,
    rampUpMs: 60_000,
    rampDownMs: 60_000,
  };
}

/**
 * What the target would have reported at each step of [fromMs, toMs), from the same model as its live answers
 * (daily pattern, noise) plus its past incident: rows of the five metrics in catalogue order.
 */
export function historyOf(name: string, fromMs: number, toMs: number, stepMs: number, nowMs: number): number[][] {
  const profile = targetProfile(name);
  const incident = pastIncident(name, nowMs);
  const rows: number[][] = [];
  for (let t = Math.ceil(fromMs / stepMs) * stepMs; t < toMs; t += stepMs) {
    const values = computeMetrics(profile, t, modeAt(incident, t));
    rows.push(METRIC_NAMES.map((m) => values[m]));
  }
  return rows;
}
