import { AlertView } from '@seqpulse/contracts';
import { isoSeconds } from '../../core/format';

/** Shown before and after an alert: the same margin as the dashboard links of its notifications. */
export const ALERT_RANGE_MARGIN_MS = 15 * 60_000;

/**
 * The time range that shows an alert: from its opening minus the margin to its resolution plus the margin (never
 * past now), or to now while it fires. ISO seconds, as the monitoring view's `from`/`to`.
 */
export function alertRange(
  alert: Pick<AlertView, 'started_at' | 'resolved_at'>,
  now: number,
  marginMs = ALERT_RANGE_MARGIN_MS,
): { from: string; to: string } {
  const start = Date.parse(alert.started_at);
  const end = alert.resolved_at ? Math.min(Date.parse(alert.resolved_at) + marginMs, now) : now;
  const to = Math.max(end, start + 60_000);
  return { from: isoSeconds(start - marginMs), to: isoSeconds(to) };
}
