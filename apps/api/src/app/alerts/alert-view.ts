import type { AlertLevel, AlertRuleName, AlertState, AlertView } from '@seqpulse/contracts';
import { isoOrNull, isoSeconds } from '../common/time';

/** An `alerts` row as Postgres returns it. */
export interface AlertRow {
  id: string;
  project_id: string;
  env: string;
  rule: AlertRuleName;
  state: AlertState;
  value: number | null;
  threshold: number;
  started_at: Date;
  resolved_at: Date | null;
  resolution_reason: string | null;
  level: AlertLevel;
  silenced: boolean;
  announce_seq: number;
}

export function toAlertView(row: AlertRow): AlertView {
  return {
    id: row.id,
    rule: row.rule,
    env: row.env,
    state: row.state,
    value: row.value === null ? null : tidy(Number(row.value)),
    threshold: Number(row.threshold),
    started_at: isoSeconds(new Date(row.started_at)),
    resolved_at: isoOrNull(row.resolved_at === null ? null : new Date(row.resolved_at)),
    resolution_reason: row.resolution_reason,
    // The contract's defaults (critical, not silenced) are left out: an alert of a rule without settings reads as before.
    ...(row.level === 'warning' ? { level: row.level } : {}),
    ...(row.silenced ? { silenced: true } : {}),
  };
}

/** 12 significant digits: a mean of 0.95s reads 0.95, not 0.9499999999999996. */
function tidy(value: number): number {
  return Number(value.toPrecision(12));
}
