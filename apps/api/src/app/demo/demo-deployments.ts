import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEMO_MEMBER } from '../config/app-config';
import { ADVISORY_LOCKS } from '../database/advisory-locks';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { DEMO_PROJECTS } from './demo-seeder';

/** A demo deployment starts this often on the pilot project's first env, and finishes a minute later. */
const EVERY_MINUTES = 4;

/**
 * Plays the customer's CI in the demo: deployments of the pilot project, so the charts show markers and
 * `post` samples. One process does it (advisory lock); 1 in 5 deployments fails.
 */
@Injectable()
export class DemoDeployments implements OnModuleInit {
  private readonly logger = new Logger(DemoDeployments.name);

  constructor(
    private readonly db: DataSource,
    private readonly tasks: TaskScheduler,
  ) {}

  onModuleInit(): void {
    this.tasks.register({ name: 'demo-deployments', everyMs: 60_000, runsIn: 'worker', run: () => this.tick() });
  }

  async tick(): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [{ locked }] = await tx.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [ADVISORY_LOCKS.demoDeployments]);
      if (!locked) return;
      const pilot = DEMO_PROJECTS.find((p) => p.pilot);
      const [project] = await tx.query(
        `SELECT p.id, p.envs[1] AS env FROM projects p JOIN users u ON u.id = p.owner_id WHERE u.email = $1 AND p.name = $2`,
        [DEMO_MEMBER.email, pilot?.name],
      );
      if (!project) return;
      const finished = await tx.query(
        `UPDATE deployments SET finished_at = now(), result = CASE WHEN random() < 0.2 THEN 'failed' ELSE 'success' END
          WHERE project_id = $1 AND finished_at IS NULL AND started_at < now() - interval '50 seconds' RETURNING id`,
        [project.id],
      );
      const [{ last }] = await tx.query(`SELECT max(started_at) AS last FROM deployments WHERE project_id = $1`, [project.id]);
      if (!last || Date.now() - new Date(last).getTime() >= EVERY_MINUTES * 60_000 - 5_000) {
        await tx.query(
          `INSERT INTO deployments (project_id, env, branch, idempotency_key) VALUES ($1, $2, 'main', 'demo-' || extract(epoch FROM now())::bigint)`,
          [project.id, project.env],
        );
        this.logger.log({ project: project.id }, 'Demo deployment started');
      }
      return finished;
    });
  }
}
