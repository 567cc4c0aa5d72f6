import type { AlertLevel, AlertTimelineEntry, DeliveryStatus } from '@seqpulse/contracts';
import { isoSeconds } from '../common/time';
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
export async function timelinesOf(tx: Queryable, alertIds: string[]): Promise<EventRow[]> {
  if (alertIds.length === 0) return [];
  return tx.query(`SELECT alert_id, at, kind, level, value FROM alert_events WHERE alert_id = ANY($1::uuid[]) ORDER BY alert_id, at, id`, [
    alertIds,
  ]);
}

interface EventRow {
  alert_id: string;
  at: Date;
  kind: AlertTimelineEntry['kind'];
  level: AlertLevel;
  value: number | null;
}

interface DeliveryRow {
  alert_id: string;
  channel: 'webhook' | 'slack';
  transition: 'firing' | 'resolved';
  status: DeliveryStatus;
  at: Date;
}

/** Each alert's evaluation events and notifications in one list, oldest first (events first within a second). */
export function mergeTimelines(alertIds: string[], events: EventRow[], deliveries: DeliveryRow[]): Map<string, AlertTimelineEntry[]> {
  const timelines = new Map<string, AlertTimelineEntry[]>(alertIds.map((id) => [id, []]));
  for (const e of events) {
    const value = e.value === null ? null : Number(e.value);
    timelines.get(e.alert_id)?.push({ at: isoSeconds(new Date(e.at)), kind: e.kind, level: e.level, value });
  }
  for (const d of deliveries) {
    const entry = {
      at: isoSeconds(new Date(d.at)),
      kind: 'notification' as const,
      channel: d.channel,
      transition: d.transition,
      status: d.status,
    };
    timelines.get(d.alert_id)?.push(entry);
  }
  // ISO seconds in UTC sort as text; the sort is stable.
  for (const list of timelines.values()) list.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return timelines;
}
