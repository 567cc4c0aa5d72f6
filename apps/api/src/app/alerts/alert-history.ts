import type { Queryable } from '../notifications/outbox-rows';
import type { AlertEvent } from './alert-timeline';

/** Appends timeline entries in one statement, inside the evaluation's transaction. */
export async function recordTimeline(tx: Queryable, events: AlertEvent[], at: Date): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    `INSERT INTO alert_events (alert_id, at, kind, level, value)
     SELECT u.alert_id, $1, u.kind, u.level, u.value
       FROM unnest($2::uuid[], $3::text[], $4::text[], $5::float8[]) WITH ORDINALITY AS u(alert_id, kind, level, value, i)
      ORDER BY u.i`,
    [at, events.map((e) => e.alertId), events.map((e) => e.kind), events.map((e) => e.level), events.map((e) => e.value)],
  );
}

/** One alert's timeline rows, for many alerts in one statement. */
export async function timelinesOf(
  tx: Queryable,
  alertIds: string[],
): Promise<{ alert_id: string; at: Date; kind: string; level: string; value: number | null }[]> {
  if (alertIds.length === 0) return [];
  return tx.query(`SELECT alert_id, at, kind, level, value FROM alert_events WHERE alert_id = ANY($1::uuid[]) ORDER BY alert_id, at, id`, [
    alertIds,
  ]);
}
