import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queryRows } from '../database/sql';
import type { DeploymentResult, FinishDeploymentResponse, TriggerDeploymentResponse } from '@seqpulse/contracts';
import { ApiError } from '../common/api-error';
import { isUuid } from '../common/uuid-pipe';
import { canSeeProject, Principal } from '../auth/principal';
import { ProjectsService } from '../projects/projects.service';

/** The CI integration. A finished deployment makes the env's next samples `post` for the project's window. */
@Injectable()
export class DeploymentsService {
  constructor(
    private readonly db: DataSource,
    private readonly projects: ProjectsService,
  ) {}

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
    const [row] = await this.db.query(
      `SELECT d.id, d.finished_at, p.id AS project_id, p.owner_id FROM deployments d JOIN projects p ON p.id = d.project_id WHERE d.id = $1`,
      [deploymentId],
    );
    if (!row || !canSeeProject(principal, { id: row.project_id, ownerId: row.owner_id })) return { status: 'not_found' };
    const updated = await queryRows(
      this.db,
      `UPDATE deployments SET finished_at = now(), result = $2 WHERE id = $1 AND finished_at IS NULL RETURNING id`,
      [deploymentId, result],
    );
    return { status: updated.length ? 'accepted' : 'ignored' };
  }
}
