import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Optional, per project: silence an env's alerts while one of its deployments runs (docs/alerting.md,
 * "Silenced during deployments"). Two notification settings, and `alert_deployment_silence`, the view the
 * notifications module publishes for the evaluator (the projects that opted in, with their cap), beside
 * `alert_notification_policy`. Which deployments run is read from `deployment_windows` (published by deployments).
 */
export class DeploymentSilence1764401400000 implements MigrationInterface {
  name = 'DeploymentSilence1764401400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notification_settings
        ADD COLUMN silence_during_deployments boolean NOT NULL DEFAULT false,
        ADD COLUMN deployment_silence_max_min integer NOT NULL DEFAULT 60 CHECK (deployment_silence_max_min BETWEEN 1 AND 240);

      CREATE VIEW alert_deployment_silence AS
      SELECT ns.project_id, ns.deployment_silence_max_min AS max_min
        FROM notification_settings ns
       WHERE ns.silence_during_deployments;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP VIEW alert_deployment_silence;
      ALTER TABLE notification_settings DROP COLUMN silence_during_deployments, DROP COLUMN deployment_silence_max_min;
    `);
  }
}
