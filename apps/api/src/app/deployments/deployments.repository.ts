import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DeploymentResult } from '@seqpulse/contracts';

/** A deployment with what its observation windows need from its project. */
export interface DeploymentRow {
  id: string;
  project_id: string;
  env: string;
  branch: string | null;
  idempotency_key: string | null;
  started_at: Date;
  finished_at: Date | null;
  result: DeploymentResult | null;
  /** The project's observation window (minutes). */
  post_window_min: number;
  poll_interval_s: number;
}

/**
 * Through the published views: `deployment_windows` (this module's) and `project_monitoring` (rollout's). The
 * window length of a running deployment is not known yet (it is the project's when it finishes): 30 minutes.
 */
const FROM = `deployment_windows w JOIN project_monitoring pm ON pm.project_id = w.project_id`;
const COLUMNS = `w.deployment_id AS id, w.project_id, w.env, w.branch, w.idempotency_key, w.started_at, w.finished_at, w.result,
                 coalesce(round(extract(epoch FROM w.post_until - w.finished_at) / 60)::int, 30) AS post_window_min, pm.poll_interval_s`;

/** Reads of the deployments table for other modules (the deployments module owns it). */
@Injectable()
export class DeploymentsRepository {
  constructor(private readonly db: DataSource) {}

  async findById(id: string): Promise<DeploymentRow | null> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE w.deployment_id = $1`, [id]);
    return row ?? null;
  }

  /** The deployments of `ids` that exist (any order). */
  async findByIds(ids: readonly string[]): Promise<DeploymentRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE w.deployment_id = ANY($1::uuid[])`, [ids]);
  }

  /** Deployments of a project (one env or all) that started in [from, to), newest first. */
  async listStarted(projectId: string, env: string | null, from: Date, to: Date, limit: number): Promise<DeploymentRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE w.project_id = $1 AND ($2::text IS NULL OR w.env = $2) AND w.started_at >= $3 AND w.started_at < $4
        ORDER BY w.started_at DESC, w.deployment_id LIMIT $5`,
      [projectId, env, from, to, limit],
    );
  }

  /**
   * Finished deployments of monitored projects (Enterprise, in the rollout) whose observation window is open at
   * `now` or closed less than `closedWithinS` ago.
   */
  async inObservation(now: Date, closedWithinS: number): Promise<DeploymentRow[]> {
    return this.db.query(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE w.finished_at IS NOT NULL AND w.finished_at <= $1
          AND w.finished_at > $1::timestamptz - make_interval(mins => 1440, secs => $2)
          AND w.post_until + make_interval(secs => $2) > $1
          AND pm.monitored`,
      [now, closedWithinS],
    );
  }
}
