import { randomUUID } from 'node:crypto';

/** A connection or a transaction (TypeORM's query runner or entity manager). */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One outbox row to queue: a delivery of one transition of one subject (an alert or a deployment) on one channel. */
export interface OutboxRow {
  id: string;
  projectId: string;
  /** The alert or the deployment the notification is about. */
  subjectId: string;
  channel: string;
  transition: string;
  url: string;
  body: string;
  /** Announcement number of the subject (alerts: escalation, re-notification); 0 when absent. */
  seq?: number;
}

/** A project's configured channels: the webhook and Slack URLs of its notification settings (either may be unset). */
export interface ChannelUrls {
  webhook_url: string | null;
  slack_webhook_url: string | null;
}

/**
 * The outbox rows of one announcement on every configured channel: the webhook body is built with the row's own id
 * (payloads carry it as `delivery_id`), the Slack body as it is.
 */
export function channelRows(
  channels: ChannelUrls,
  base: Omit<OutboxRow, 'id' | 'channel' | 'url' | 'body'>,
  webhookBody: (id: string) => unknown,
  slackBody: () => unknown,
): OutboxRow[] {
  const rows: OutboxRow[] = [];
  if (channels.webhook_url) {
    const id = randomUUID();
    rows.push({ ...base, id, channel: 'webhook', url: channels.webhook_url, body: JSON.stringify(webhookBody(id)) });
  }
  if (channels.slack_webhook_url) {
    rows.push({ ...base, id: randomUUID(), channel: 'slack', url: channels.slack_webhook_url, body: JSON.stringify(slackBody()) });
  }
  return rows;
}

/**
 * Queues the rows in one statement, due at `now`, inside the caller's transaction. A subject's transition is
 * queued once per channel and sequence: a repeat is a no-op (the unique key on `<subject>, transition, channel[, seq]`).
 */
export async function queueDeliveries(
  tx: Queryable,
  subject: 'alert_id' | 'deployment_id',
  rows: OutboxRow[],
  maxAttempts: number,
  now: Date,
): Promise<number> {
  if (rows.length === 0) return 0;
  await tx.query(
    `INSERT INTO notification_deliveries (id, project_id, ${subject}, channel, transition, url, body, seq, max_attempts, next_attempt_at)
     SELECT u.id, u.project_id, u.subject_id, u.channel, u.transition, u.url, u.body, u.seq, $9, $10
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[])
         AS u(id, project_id, subject_id, channel, transition, url, body, seq)
     ON CONFLICT (${subject}, transition, channel${subject === 'alert_id' ? ', seq' : ''}) DO NOTHING`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.projectId),
      rows.map((r) => r.subjectId),
      rows.map((r) => r.channel),
      rows.map((r) => r.transition),
      rows.map((r) => r.url),
      rows.map((r) => r.body),
      rows.map((r) => r.seq ?? 0),
      maxAttempts,
      now,
    ],
  );
  return rows.length;
}
