import { MigrationInterface, QueryRunner } from 'typeorm';

const METRICS = ['requests_per_sec', 'latency_p95', 'error_rate', 'cpu_usage', 'memory_usage'];
const INCLUDED = ['n', ...METRICS.flatMap((m) => [`${m}_sum`, `${m}_max`])].join(', ');

/**
 * Makes the rollups' primary key covering (INCLUDE every aggregate), so a project's range is read by an
 * index-only scan from a few contiguous leaf pages instead of one heap page per bucket (rollup rows of all
 * projects are written minute by minute, so a project's rows are spread over the heap). Autovacuum is made
 * eager on these tables to keep their visibility map (which index-only scans need) current.
 */
export class RollupsCoveringKey1764400420000 implements MigrationInterface {
  name = 'RollupsCoveringKey1764400420000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['samples_1m', 'samples_15m']) {
      const [{ exists }] = await q.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table]);
      if (!exists) continue; // TimescaleDB mode: no rollups
      await q.query(
        `ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey, ADD CONSTRAINT ${table}_pkey PRIMARY KEY (project_id, env, bucket, phase) INCLUDE (${INCLUDED})`,
      );
      await q.query(
        `ALTER TABLE ${table} SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05)`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['samples_1m', 'samples_15m']) {
      const [{ exists }] = await q.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table]);
      if (!exists) continue;
      await q.query(
        `ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey, ADD CONSTRAINT ${table}_pkey PRIMARY KEY (project_id, env, bucket, phase)`,
      );
      await q.query(
        `ALTER TABLE ${table} RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor)`,
      );
    }
  }
}
