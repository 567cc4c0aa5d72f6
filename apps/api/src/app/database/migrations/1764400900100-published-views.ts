import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relations one module publishes for the others to read in their own statements (docs/architecture.md,
 * "Data access"), so no module names another module's tables:
 * - `project_monitoring` (rollout): every project with its plan, envs, poll interval and whether Realtime
 *   monitors it. THE rule for "monitored" (plan `enterprise` and, in stage `pilot`, on the pilot list) exists only
 *   here (the API reads its `monitored` column too); a test checks it for every combination of plan, stage and
 *   pilot list.
 * - `deployment_windows` (deployments): every deployment with the end of its post-deployment observation window.
 * Both are plain views: Postgres inlines them, so the statements that read them plan exactly as before.
 */
export class PublishedViews1764400900100 implements MigrationInterface {
  name = 'PublishedViews1764400900100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE VIEW project_monitoring AS
      SELECT p.id AS project_id, p.plan, p.envs, p.poll_interval_s,
             p.plan = 'enterprise' AND (
               (SELECT s.stage FROM rollout_settings s WHERE s.id = 1) = 'general'
               OR EXISTS (SELECT 1 FROM rollout_pilot_projects rp WHERE rp.project_id = p.id)
             ) AS monitored
        FROM projects p`);
    await q.query(`
      CREATE VIEW deployment_windows AS
      SELECT d.id AS deployment_id, d.project_id, d.env, d.branch, d.idempotency_key, d.started_at, d.finished_at, d.result,
             d.finished_at + make_interval(mins => p.post_window_min) AS post_until
        FROM deployments d JOIN projects p ON p.id = d.project_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP VIEW IF EXISTS deployment_windows, project_monitoring`);
  }
}
