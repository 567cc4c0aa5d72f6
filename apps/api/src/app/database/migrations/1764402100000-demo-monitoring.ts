import { MigrationInterface, QueryRunner } from 'typeorm';

const RULE_BEFORE = `p.plan = 'enterprise' AND (
               (SELECT s.stage FROM rollout_settings s WHERE s.id = 1) = 'general'
               OR EXISTS (SELECT 1 FROM rollout_pilot_projects rp WHERE rp.project_id = p.id)
             )`;

/**
 * The demo's projects are monitored only while the demo runs. Started with the demo off, a database that once ran it
 * kept polling the demo fleet's addresses every 15 s (refused as private targets, each a failure on record) and kept
 * the demo's alerts open; its accounts were already refused. `rollout_settings.demo_running` is what the last API
 * process to start was told (`SEQPULSE_DEMO`), and the one "monitored" rule reads it: the demo's projects stop being
 * polled within a lease sync, their open alerts resolve (`monitoring_not_enabled`), and all comes back when the demo
 * is turned on again (the view also shows `demo`). True until an API process says otherwise, so nothing changes at
 * the upgrade itself.
 */
export class DemoMonitoring1764402100000 implements MigrationInterface {
  name = 'DemoMonitoring1764402100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rollout_settings ADD COLUMN demo_running boolean NOT NULL DEFAULT true`);
    await q.query(`
      CREATE OR REPLACE VIEW project_monitoring AS
      SELECT p.id AS project_id, p.plan, p.envs, p.poll_interval_s,
             ${RULE_BEFORE}
             AND (NOT p.demo OR (SELECT s.demo_running FROM rollout_settings s WHERE s.id = 1)) AS monitored,
             p.demo
        FROM projects p`);
  }

  async down(q: QueryRunner): Promise<void> {
    // a view's columns can only be added by CREATE OR REPLACE, not dropped
    await q.query(`DROP VIEW project_monitoring`);
    await q.query(`
      CREATE VIEW project_monitoring AS
      SELECT p.id AS project_id, p.plan, p.envs, p.poll_interval_s,
             ${RULE_BEFORE} AS monitored
        FROM projects p`);
    await q.query(`ALTER TABLE rollout_settings DROP COLUMN demo_running`);
  }
}
