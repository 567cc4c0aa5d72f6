import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The alert evaluator reads the last 5 minutes of every monitored env in one range scan on `collected_at`.
 * The btree `(project_id, env, collected_at)` cannot serve a range over all projects, so a BRIN index on
 * `collected_at` (samples are written in time order, so pages correlate with time) finds the newest pages of a
 * day partition without reading the rest. It is tiny, and `autosummarize` keeps it current as pages fill.
 */
export class AlertsWindowIndex1764400510000 implements MigrationInterface {
  name = 'AlertsWindowIndex1764400510000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS samples_collected_brin ON samples USING brin (collected_at) WITH (pages_per_range = 32, autosummarize = on)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS samples_collected_brin`);
  }
}
