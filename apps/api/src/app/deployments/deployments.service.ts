import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/sql';
import type { DeploymentResult, FinishDeploymentResponse, TriggerDeploymentResponse } from '@seqpulse/contracts';
import { ApiError } from '../common/api-error';
import type { Principal } from '../auth/principal';
import { isUuid } from '../common/uuid-pipe';
import { ProjectsService } from '../projects/projects.service';

export interface LatestDeployment {
  id: string;
  projectId: string;
  env: string;
  finishedAt: Date | null;
  result: DeploymentResult | null;
}

/** The CI integration. A finished deployment makes the env's next samples `post` for the project's window. */
@Injectable()
export class DeploymentsService {
  constructor(
    private readonly db: DataSource,
    private readonly projects: ProjectsService,
  ) {}

  /** The newest deployment (by start) of each env of many projects, in one statement. */
  async latestPerEnv(projectIds: string[]): Promise<LatestDeployment[]> {
    if (projectIds.length === 0) return [];
    const rows: { id: string; project_id: string; env: string; finished_at: Date | null; result: DeploymentResult | null }[] =
      await this.db.query(
        `SELECT DISTINCT ON (project_id, env) id::text, project_id::text, env, finished_at, result
           FROM deployments WHERE project_id = ANY($1::uuid[])
          ORDER BY project_id, env, started_at DESC, id DESC`,
        [projectIds],
      );
    return rows.map((r) => ({ id: r.id, projectId: r.project_id, env: r.env, finishedAt: r.finished_at, result: r.result }));
  }

  /** Records deployments that already happened (the demo's history); returns how many were new. */
  async recordPast(
    deployments: { projectId: string; env: string; startedAt: Date; finishedAt: Date; result: DeploymentResult; key: string }[],
  ): Promise<string[]> {
    if (deployments.length === 0) return [];
    const rows = await this.db.query(
      `INSERT INTO deployments (project_id, env, branch, idempotency_key, started_at, finished_at, result)
       SELECT u.project_id, u.env, 'main', u.key, u.started_at, u.finished_at, u.result
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[])
           AS u(project_id, env, key, started_at, finished_at, result)
       ON CONFLICT (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id`,
      [
        deployments.map((d) => d.projectId),
        deployments.map((d) => d.env),
        deployments.map((d) => d.key),
        deployments.map((d) => d.startedAt),
        deployments.map((d) => d.finishedAt),
        deployments.map((d) => d.result),
      ],
    );
    return rows.map((r: { id: string }) => r.id);
  }

  async trigger(
    principal: Principal,
    input: { projectId: string; env: string; idempotencyKey?: string; branch?: string },
  ): Promise<TriggerDeploymentResponse> {
    const project = await this.projects.findVisible(principal, input.projectId);
    if (!project.envs.includes(input.env)) {
      throw ApiError.validation(`Project has no env "${input.env}" (envs: ${project.envs.join(', ')}).`, {
        fields: [{ field: 'env', problems: ['unknown env'] }],
      });
    }
    const inserted: { id: string }[] = await this.db.query(
      `INSERT INTO deployments (project_id, env, idempotency_key, branch, created_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id`,
      [project.id, input.env, input.idempotencyKey ?? null, input.branch ?? null, principal.userId],
    );
    if (inserted.length) return { deployment_id: inserted[0].id, status: 'created' };
    const [existing] = await this.db.query(`SELECT id FROM deployments WHERE project_id = $1 AND idempotency_key = $2`, [
      project.id,
      input.idempotencyKey,
    ]);
    return { deployment_id: existing.id, status: 'existing' };
  }

  async finish(principal: Principal, deploymentId: string, result: DeploymentResult): Promise<FinishDeploymentResponse> {
    if (!isUuid(deploymentId)) return { status: 'not_found' };
    const [row]: { project_id: string }[] = await this.db.query(`SELECT project_id FROM deployments WHERE id = $1`, [deploymentId]);
    if (!row || !(await this.projects.isVisible(principal, row.project_id))) return { status: 'not_found' };
    const updated = await queryRows(
      this.db,
      `UPDATE deployments SET finished_at = now(), result = $2 WHERE id = $1 AND finished_at IS NULL RETURNING id`,
      [deploymentId, result],
    );
    return { status: updated.length ? 'accepted' : 'ignored' };
  }

  /**
   * Deployments the server itself records (the demo's simulated CI): no caller. Idempotent on the key: null when a
   * deployment with that key exists already.
   */
  async record(
    projectId: string,
    env: string,
    fields: { branch: string; idempotencyKey: string; startedAt?: Date },
  ): Promise<string | null> {
    const rows: { id: string }[] = await this.db.query(
      `INSERT INTO deployments (project_id, env, branch, idempotency_key, started_at) VALUES ($1, $2, $3, $4, coalesce($5, now()))
       ON CONFLICT (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id`,
      [projectId, env, fields.branch, fields.idempotencyKey, fields.startedAt ?? null],
    );
    return rows[0]?.id ?? null;
  }

  /** Finishes the project's open deployments started more than `ageS` ago; `failedRatio` of them as failed. */
  async finishOpen(projectId: string, ageS: number, failedRatio: number): Promise<number> {
    const rows = await queryRows(
      this.db,
      `UPDATE deployments SET finished_at = now(), result = CASE WHEN random() < $3 THEN 'failed' ELSE 'success' END
        WHERE project_id = $1 AND finished_at IS NULL AND started_at < now() - make_interval(secs => $2) RETURNING id`,
      [projectId, ageS, failedRatio],
    );
    return rows.length;
  }
}
