import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import type { AuditRecordView } from '@seqpulse/contracts';
import { AppConfig } from '../config/app-config';
import type { Principal } from '../auth/principal';
import { isoSeconds } from '../common/time';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { ReplicaReads } from '../read-replica/replica-reads';
import { isUuid } from '../common/uuid-pipe';
import type { AuditFilter } from './audit.dto';

const TRACKED = Symbol('seqpulse:access-tracked');
const RECORDED_PROJECT = Symbol('seqpulse:access-project');
/** Flush period of the write buffer: records reach the table at most this late. */
const ACCESS_FLUSH_MS = 250;
/** Records kept in memory when Postgres is unreachable; beyond it the oldest are dropped (and counted). */
const MAX_BUFFERED = 20_000;
const MAX_PARAM_LENGTH = 200;
const MAX_PARAMS = 20;
const PRUNE_EVERY_MS = 3_600_000;

interface AccessRecord {
  at: Date;
  userId: string | null;
  apiKeyId: string | null;
  projectId: string | null;
  route: string;
  params: Record<string, unknown>;
  status: number;
  clientIp: string | null;
  durationMs: number;
}

interface Tracking {
  startedAt: number;
  recorded: boolean;
}

type TrackedRequest = Request & { principal?: Principal; [TRACKED]?: Tracking; [RECORDED_PROJECT]?: string };

/** For routes that name their project indirectly (`/deployments/:id`): the project the access record names. */
export function recordProject(request: Request, projectId: string): void {
  (request as TrackedRequest)[RECORDED_PROJECT] = projectId;
}

/**
 * Access records of the realtime routes. The request path only pushes onto an in-memory buffer; a timer writes
 * the buffer with one multi-row INSERT every 250 ms (and at shutdown), so auditing costs no round trip.
 */
@Injectable()
export class AccessRecordsService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(AccessRecordsService.name);
  private buffer: AccessRecord[] = [];
  private flushing: Promise<void> | null = null;
  private dropped = 0;

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly tasks: TaskScheduler,
    private readonly replica: ReplicaReads,
  ) {}

  onModuleInit(): void {
    this.tasks.register({ name: 'access-records-flush', everyMs: ACCESS_FLUSH_MS, runsIn: 'every', run: () => this.flush() });
    this.tasks.register({ name: 'access-records-prune', everyMs: PRUNE_EVERY_MS, runsIn: 'worker', run: () => this.prune() });
  }

  /** The last records are written before the process exits (the scheduler has stopped its timers by then). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /**
   * Starts tracking a request (idempotent): the record is written once, when the response finishes or the
   * connection closes, with the final status. Called by the prefix middleware (so 401s are seen) and by the gate.
   */
  track(request: Request, response: Response): void {
    const req = request as TrackedRequest;
    if (req[TRACKED]) return;
    req[TRACKED] = { startedAt: Date.now(), recorded: false };
    const done = () => this.commit(req, response);
    response.once('finish', done);
    response.once('close', done);
  }

  /** Writes the record now (e.g. a stream that stays open for hours records its 200 when it starts). */
  commit(request: Request, response: Response): void {
    const req = request as TrackedRequest;
    const tracking = req[TRACKED];
    if (!tracking || tracking.recorded) return;
    tracking.recorded = true;
    // A client that went away before any answer: nginx's 499 (client closed request).
    const status = response.headersSent ? response.statusCode : 499;
    const projectId = req[RECORDED_PROJECT] ?? (isUuid(req.query?.project_id) ? req.query.project_id.toLowerCase() : null);
    this.push({
      at: new Date(tracking.startedAt),
      userId: req.principal?.userId ?? null,
      apiKeyId: req.principal?.apiKeyId ?? null,
      projectId,
      route: `${req.method} ${routeOf(req)}`,
      params: sanitizeParams(req.query as Record<string, unknown>),
      status,
      clientIp: req.ip ?? req.socket?.remoteAddress ?? null,
      durationMs: Date.now() - tracking.startedAt,
    });
  }

  /**
   * One record per project a request served at once (the overview): same caller, route, time and parameters as
   * the request, the project's own id and status (200 served, 403 refused by the rollout).
   */
  recordProjects(request: Request, projects: { projectId: string; status: number }[]): void {
    const req = request as TrackedRequest;
    const startedAt = req[TRACKED]?.startedAt ?? Date.now();
    const base = {
      at: new Date(startedAt),
      userId: req.principal?.userId ?? null,
      apiKeyId: req.principal?.apiKeyId ?? null,
      route: `${req.method} ${routeOf(req)}`,
      params: sanitizeParams(req.query as Record<string, unknown>),
      clientIp: req.ip ?? req.socket?.remoteAddress ?? null,
      durationMs: Date.now() - startedAt,
    };
    for (const p of projects) this.push({ ...base, projectId: p.projectId, status: p.status });
  }

  push(record: AccessRecord): void {
    this.buffer.push(record);
    if (this.buffer.length > MAX_BUFFERED) {
      const excess = this.buffer.length - MAX_BUFFERED;
      this.buffer.splice(0, excess);
      this.dropped += excess;
    }
  }

  /** Writes everything buffered so far (tests call it to avoid waiting for the timer). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = this.insert(batch)
      .catch((err) => {
        this.logger.warn({ err, records: batch.length }, 'Could not write access records; keeping them for the next flush');
        this.buffer = batch.concat(this.buffer).slice(-MAX_BUFFERED);
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
    if (this.dropped) {
      this.logger.error({ dropped: this.dropped }, 'Access records dropped: the buffer overflowed while Postgres was unreachable');
      this.dropped = 0;
    }
  }

  private async insert(batch: AccessRecord[]): Promise<void> {
    if (!this.db.isInitialized) throw new Error('database not initialised');
    await this.db.query(
      `INSERT INTO access_records (at, user_id, api_key_id, project_id, route, params, status, client_ip, duration_ms)
       SELECT * FROM unnest($1::timestamptz[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::jsonb[], $7::int[], $8::text[], $9::int[])`,
      [
        batch.map((r) => r.at),
        batch.map((r) => r.userId),
        batch.map((r) => r.apiKeyId),
        batch.map((r) => r.projectId),
        batch.map((r) => r.route),
        batch.map((r) => JSON.stringify(r.params)),
        batch.map((r) => r.status),
        batch.map((r) => r.clientIp),
        batch.map((r) => r.durationMs),
      ],
    );
  }

  /** Deletes records older than SEQPULSE_AUDIT_RETENTION_DAYS. */
  async prune(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.SEQPULSE_AUDIT_RETENTION_DAYS * 86_400_000);
    const [, count] = await this.db.query(`DELETE FROM access_records WHERE at < $1`, [cutoff]);
    return Number(count) || 0;
  }

  async list(query: AuditFilter): Promise<AuditRecordView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.projectId) where.push(`project_id = $${params.push(query.projectId)}`);
    if (query.from !== undefined) where.push(`at >= $${params.push(new Date(query.from))}`);
    if (query.to !== undefined) where.push(`at <= $${params.push(new Date(query.to))}`);
    const sql = `SELECT id::text, at, user_id, api_key_id, project_id, route, params, status, client_ip
                   FROM access_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                  ORDER BY at DESC, id DESC LIMIT $${params.push(query.limit)}`;
    // A range that ends in the past may be read from the replica (DATABASE_READ_URL) once it holds all of it.
    const rows = await this.replica.read(
      'audit',
      query.to,
      async (pool) => (await pool.query<AccessRecordRow>(sql, params)).rows,
      () => this.db.query<AccessRecordRow[]>(sql, params),
    );
    return rows.map((r) => ({
      id: r.id,
      at: isoSeconds(new Date(r.at)),
      user_id: r.user_id,
      api_key_id: r.api_key_id,
      project_id: r.project_id,
      route: r.route,
      params: r.params,
      status: r.status,
      client_ip: r.client_ip,
    }));
  }
}

interface AccessRecordRow {
  id: string;
  at: Date;
  user_id: string | null;
  api_key_id: string | null;
  project_id: string | null;
  route: string;
  params: Record<string, unknown>;
  status: number;
  client_ip: string | null;
}

/** The route pattern when Express matched one, else the path (bounded): never the query string. */
function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  // The tracking middleware's own wildcard route is left on requests that matched no handler.
  if (typeof pattern === 'string' && !pattern.includes('*')) return `${req.baseUrl ?? ''}${pattern}`.slice(0, MAX_PARAM_LENGTH);
  return (req.originalUrl ?? req.url ?? '').split('?')[0].slice(0, MAX_PARAM_LENGTH);
}

/** Query parameters a careless client may put a credential in: recorded as `[redacted]`, never their value. */
const CREDENTIAL_PARAM = /token|key|secret|password|auth|signature|session/i;

/** The query as given, bounded in size (strings cut, at most 20 keys), credentials blanked. */
function sanitizeParams(query: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query ?? {}).slice(0, MAX_PARAMS)) {
    out[key.slice(0, 64)] = CREDENTIAL_PARAM.test(key) ? '[redacted]' : bound(value, 0);
  }
  return out;
}

function bound(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.slice(0, MAX_PARAM_LENGTH);
  if (depth > 2 || value === null || typeof value !== 'object') return value === undefined ? null : typeof value === 'object' ? '…' : value;
  if (Array.isArray(value)) return value.slice(0, MAX_PARAMS).map((v) => bound(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .slice(0, MAX_PARAMS)
      .map(([k, v]) => [k.slice(0, 64), bound(v, depth + 1)]),
  );
}
