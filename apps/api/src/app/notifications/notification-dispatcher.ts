import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CONTENT_SIGNATURE_HEADER as CONTENT_SIGNATURE, HMAC_HEADERS, signWebhook } from '@seqpulse/hmac';
import { AppConfig } from '../config/app-config';
import { PreparedStatements } from '../database/prepared-statements';
import { ProjectsService } from '../projects/projects.service';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { OperationalMetrics } from '../operational-metrics/operational-metrics';
import { NotificationSender, SendResult } from './notification-sender';

/** Header binding the webhook body to the v2 signature: HMAC-SHA256(secret, `<timestamp>|<nonce>|<body>`). */
export const CONTENT_SIGNATURE_HEADER = CONTENT_SIGNATURE;
/** Longest wait between two attempts. */
const MAX_BACKOFF_S = 900;
const BATCH = 100;
const PARALLEL = 16;
const OUTBOX_TASK = 'notification-outbox';

interface ClaimedDelivery {
  id: string;
  project_id: string;
  channel: 'webhook' | 'slack';
  /** Alert: firing/resolved; deployment verdict: warning/rollback_recommended/final. */
  transition: string;
  /** Set when the delivery is about a deployment verdict rather than an alert. */
  deployment_id: string | null;
  url: string;
  body: string;
  attempts: number;
  max_attempts: number;
}

interface DispatchReport {
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
}

/** Delay after the n-th failed attempt (n ≥ 1): base · 2^(n-1), capped at 15 minutes. */
export function backoffSeconds(attempt: number, baseS: number): number {
  return Math.min(MAX_BACKOFF_S, baseS * 2 ** Math.max(0, attempt - 1));
}

/**
 * Works the notification outbox: claims due deliveries with `FOR UPDATE SKIP LOCKED` (any number of worker
 * processes, each delivery sent by one), sends them, records every attempt with its status, and schedules a
 * retry with exponential backoff until `max_attempts`. A claim pushes `next_attempt_at` past the send timeout,
 * so a delivery whose sender died is picked up again. Alert state never depends on delivery.
 */
@Injectable()
export class NotificationDispatcher implements OnModuleInit {
  private readonly logger = new Logger(NotificationDispatcher.name);
  /** The outbox claim runs every second in every worker, deliveries or not: planned once per connection. */
  private readonly statements: PreparedStatements;

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly sender: NotificationSender,
    private readonly projects: ProjectsService,
    private readonly tasks: TaskScheduler,
    metrics: OperationalMetrics,
  ) {
    this.statements = new PreparedStatements(config);
    metrics.gauge('outboxBacklog', () => this.pendingDeliveries());
  }

  /** Deliveries waiting in the outbox (due or retrying later). */
  async pendingDeliveries(): Promise<number> {
    const [{ pending }] = await this.db.query(`SELECT count(*)::int AS pending FROM notification_deliveries WHERE status = 'pending'`);
    return pending;
  }

  onModuleInit(): void {
    this.tasks.register({
      name: OUTBOX_TASK,
      everyMs: Math.max(1, this.config.SEQPULSE_NOTIFY_INTERVAL_MS),
      runsIn: 'worker',
      enabled: (config) => config.SEQPULSE_NOTIFY_INTERVAL_MS > 0,
      run: () => this.processDue(new Date()),
    });
    this.tasks.register({ name: 'notification-outbox-prune', everyMs: 3_600_000, runsIn: 'worker', run: () => this.prune() });
  }

  /** Delivered and failed notifications (with their attempts) are kept SEQPULSE_FAILURE_RETENTION_DAYS. */
  async prune(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.SEQPULSE_FAILURE_RETENTION_DAYS * 86_400_000);
    const [, count] = await this.db.query(`DELETE FROM notification_deliveries WHERE status <> 'pending' AND created_at < $1`, [cutoff]);
    return Number(count ?? 0);
  }

  /** Runs a pass now (after an evaluation produced transitions), where the outbox runs on its own. */
  kick(): void {
    this.tasks.kick(OUTBOX_TASK);
  }

  /** One pass: every delivery due at `now` (in batches), sent in parallel. */
  async processDue(now: Date = new Date()): Promise<DispatchReport> {
    const report: DispatchReport = { attempted: 0, delivered: 0, retrying: 0, failed: 0 };
    for (;;) {
      const claimed = await this.claim(now);
      if (claimed.length === 0) break;
      const queue = [...claimed];
      const secrets = new Map<string, Promise<string | null>>();
      const worker = async () => {
        for (let d = queue.shift(); d; d = queue.shift()) {
          let secret = secrets.get(d.project_id);
          if (!secret) secrets.set(d.project_id, (secret = this.projects.hmacSecretOf(d.project_id)));
          const outcome = await this.attempt(d, now, await secret);
          report.attempted++;
          report[outcome]++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, claimed.length) }, worker));
      if (claimed.length < BATCH) break;
    }
    return report;
  }

  private async claim(now: Date): Promise<ClaimedDelivery[]> {
    const leaseS = Math.ceil((this.config.SEQPULSE_NOTIFY_TIMEOUT_MS * 2) / 1000) + 5;
    return this.statements.rows<ClaimedDelivery>(
      this.db,
      `WITH claimed AS (
         UPDATE notification_deliveries d
            SET attempts = d.attempts + 1, next_attempt_at = $1::timestamptz + make_interval(secs => $3)
          WHERE d.id IN (SELECT id FROM notification_deliveries
                          WHERE status = 'pending' AND next_attempt_at <= $1
                          ORDER BY next_attempt_at
                          LIMIT $2
                          FOR UPDATE SKIP LOCKED)
         RETURNING d.id, d.project_id, d.channel, d.transition, d.deployment_id, d.url, d.body, d.attempts, d.max_attempts, d.created_at
       )
       SELECT * FROM claimed ORDER BY created_at, id`,
      [now, BATCH, leaseS],
    );
  }

  private async attempt(d: ClaimedDelivery, now: Date, secret: string | null): Promise<'delivered' | 'retrying' | 'failed'> {
    const at = new Date();
    let result: SendResult;
    try {
      result = await this.sender.post(d.url, d.body, d.channel === 'webhook' ? webhookHeaders(d, secret) : {});
    } catch (error) {
      result = { ok: false, httpStatus: null, error: (error as Error).message, durationMs: 0 };
    }
    const outcome = result.ok ? 'delivered' : d.attempts >= d.max_attempts ? 'failed' : 'retrying';
    const retryAt = new Date(now.getTime() + backoffSeconds(d.attempts, this.config.SEQPULSE_NOTIFY_BACKOFF_S) * 1000);
    await this.db.query(
      `WITH attempt AS (
         INSERT INTO notification_attempts (delivery_id, attempt, at, duration_ms, http_status, ok, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
       )
       UPDATE notification_deliveries
          SET status = $8, delivered_at = CASE WHEN $8 = 'delivered' THEN $3 ELSE NULL END,
              next_attempt_at = CASE WHEN $8 = 'pending' THEN $9 ELSE next_attempt_at END
        WHERE id = $1`,
      [
        d.id,
        d.attempts,
        at,
        result.durationMs,
        result.httpStatus,
        result.ok,
        result.error,
        outcome === 'retrying' ? 'pending' : outcome,
        retryAt,
      ],
    );
    if (!result.ok) {
      this.logger.warn(
        { delivery_id: d.id, channel: d.channel, attempt: d.attempts, http_status: result.httpStatus, error: result.error, outcome },
        'Notification attempt failed',
      );
    }
    return outcome;
  }
}

/** HMAC v2 headers (method POST, the webhook URL's path) plus a signature of the body; unsigned without a secret. */
function webhookHeaders(d: ClaimedDelivery, secret: string | null): Record<string, string> {
  const headers: Record<string, string> = {
    'X-SeqPulse-Delivery': d.id,
    'X-SeqPulse-Event': d.deployment_id ? 'deployment.verdict' : `alert.${d.transition}`,
    [HMAC_HEADERS.projectId]: d.project_id,
  };
  if (!secret) return headers;
  // Receivers check it with verifyWebhook from @seqpulse/hmac.
  return { ...headers, ...signWebhook({ secret, url: d.url, projectId: d.project_id, body: d.body }) };
}
