import type { AlertLevel } from '@seqpulse/contracts';
import type { AlertRow } from './alert-view';

/** What happened to an alert at one evaluation (docs/alerting.md, "Timeline"). */
export type AlertEventKind = 'opened' | 'escalated' | 'deescalated' | 'silenced' | 'unsilenced' | 'renotified' | 'resolved';

/** A row the evaluation statement returns: the alert after the change, and what it was before. */
export interface EvaluatedRow extends AlertRow {
  transition: 'firing' | 'changed' | 'resolved';
  previous_level: AlertLevel | null;
  previous_silenced: boolean | null;
  /** Whether this change is announced on the project's channels (not silenced; see the statement). */
  announced: boolean;
  renotified_now: boolean;
  /**
   * The rule's measurement at this evaluation (null: nothing measured, e.g. a sweep or an empty window). The
   * alert's own `value` stays the one it fired or changed level with; the timeline shows what was seen then.
   */
  observed: number | null;
}

export interface AlertEvent {
  alertId: string;
  kind: AlertEventKind;
  level: AlertLevel;
  value: number | null;
}

const LEVEL_RANK: Record<AlertLevel, number> = { warning: 1, critical: 2 };

/** The timeline entries one evaluated row adds, in the order they happened. */
export function timelineEvents(row: EvaluatedRow): AlertEvent[] {
  const base = { alertId: row.id, level: row.level, value: row.observed === null ? null : Number(row.observed) };
  const kinds: AlertEventKind[] = [];
  if (row.transition === 'firing') kinds.push('opened');
  if (row.transition === 'changed' && row.previous_level && row.previous_level !== row.level) {
    kinds.push(LEVEL_RANK[row.level] > LEVEL_RANK[row.previous_level] ? 'escalated' : 'deescalated');
  }
  const wasSilenced = row.transition === 'firing' ? false : row.previous_silenced;
  if (row.silenced && !wasSilenced) kinds.push('silenced');
  if (!row.silenced && wasSilenced) kinds.push('unsilenced');
  if (row.renotified_now) kinds.push('renotified');
  if (row.transition === 'resolved') kinds.push('resolved');
  return kinds.map((kind) => ({ ...base, kind }));
}
