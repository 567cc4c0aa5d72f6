import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Statement } from '../database/prepared-statements';
import type { FailureReason } from './failure-reasons';

export interface CollectionFailure {
  projectId: string;
  env: string;
  slotAt: Date;
  reason: FailureReason;
  detail: Record<string, unknown>;
}

export interface CollectionFailureView {
  project_id: string;
  env: string;
  slot_at: string;
  at: string;
  reason: FailureReason;
  detail: Record<string, unknown>;
}

/** Every failed poll, with its reason: per project for owners, across projects for the scheduler health. */
@Injectable()
export class FailureLog {
  constructor(private readonly db: DataSource) {}

  async record(failures: CollectionFailure[]): Promise<void> {
    const statement = this.recording(failures);
    if (statement) await this.db.query(statement.sql, statement.params);
  }

  /** The statement recording `failures` (null: none), for a caller that runs it with others in one round trip. */
  recording(failures: CollectionFailure[]): Statement | null {
    if (failures.length === 0) return null;
    return {
      sql: `INSERT INTO collection_failures (project_id, env, slot_at, reason, detail)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::jsonb[])`,
      params: [
        failures.map((f) => f.projectId),
        failures.map((f) => f.env),
        failures.map((f) => f.slotAt),
        failures.map((f) => f.reason),
        failures.map((f) => JSON.stringify(f.detail)),
      ],
    };
  }

  async recent(options: { projectId?: string; env?: string; limit: number }): Promise<CollectionFailureView[]> {
    const rows: { project_id: string; env: string; slot_at: Date; at: Date; reason: FailureReason; detail: Record<string, unknown> }[] =
      await this.db.query(
        `SELECT project_id, env, slot_at, at, reason, detail FROM collection_failures
        WHERE ($1::uuid IS NULL OR project_id = $1) AND ($2::text IS NULL OR env = $2)
        ORDER BY at DESC, id DESC LIMIT $3`,
        [options.projectId ?? null, options.env ?? null, options.limit],
      );
    return rows.map((r) => ({
      project_id: r.project_id,
      env: r.env,
      slot_at: iso(r.slot_at),
      at: iso(r.at),
      reason: r.reason,
      detail: r.detail,
    }));
  }

  /** Failed polls of the last 15 minutes by reason. */
  async countsByReason(): Promise<Record<string, number>> {
    const rows: { reason: string; n: number }[] = await this.db.query(
      `SELECT reason, count(*)::int AS n FROM collection_failures WHERE at > now() - interval '15 minutes' GROUP BY reason ORDER BY reason`,
    );
    return Object.fromEntries(rows.map((r) => [r.reason, r.n]));
  }

  async prune(retentionDays: number): Promise<void> {
    await this.db.query(`DELETE FROM collection_failures WHERE at < now() - make_interval(days => $1)`, [retentionDays]);
  }
}

function iso(d: Date): string {
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
