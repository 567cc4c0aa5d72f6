import { MigrationInterface, QueryRunner } from 'typeorm';

const METRICS = ['requests_per_sec', 'latency_p95', 'error_rate', 'cpu_usage', 'memory_usage'];
const AGG_COLUMNS = ['n', ...METRICS.flatMap((m) => [`${m}_sum`, `${m}_max`])];
const COLUMNS = ['project_id', 'env', 'phase', 'bucket', ...AGG_COLUMNS].join(', ');
const RAW_AGGREGATES = METRICS.map((m) => `sum(s.${m}), max(s.${m})`).join(', ');
const MERGE_AGGREGATES = ['sum(r.n)', ...METRICS.flatMap((m) => [`sum(r.${m}_sum)`, `max(r.${m}_max)`])].join(', ');
const MINUTE = `to_timestamp(floor(date_part('epoch', s.collected_at) / 60) * 60)`;
const QUARTER = (col: string) => `to_timestamp(floor(date_part('epoch', ${col}) / 900) * 900)`;
const esc = (sql: string) => sql.replace(/'/g, "''");

/**
 * A 15-minute rollup level on top of `samples_1m`, maintained by the same catch-up: when minutes are recomputed,
 * the quarters containing them are recomputed from `samples_1m` in the same transaction. The timeseries route
 * reads it for steps that are multiples of 15 minutes (a 7-day range at 1 h: 672 rows instead of 10,080), using
 * `samples_1m` (and raw samples) for the quarters that still contain a pending minute.
 */
export class Rollups15m1764400440000 implements MigrationInterface {
  name = 'Rollups15m1764400440000';

  async up(q: QueryRunner): Promise<void> {
    const [{ exists }] = await q.query(`SELECT to_regclass('samples_rollup_pending') IS NOT NULL AS exists`);
    if (!exists) return; // TimescaleDB mode: no rollups
    await q.query(`
      CREATE TABLE samples_15m (
        project_id uuid NOT NULL,
        env text NOT NULL,
        phase text NOT NULL,
        bucket timestamptz NOT NULL,
        n integer NOT NULL,
        ${METRICS.map((m) => `${m}_sum double precision NOT NULL, ${m}_max double precision NOT NULL`).join(',\n        ')},
        CONSTRAINT samples_15m_pkey PRIMARY KEY (project_id, env, bucket, phase) INCLUDE (${AGG_COLUMNS.join(', ')})
      ) WITH (autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05);
      CREATE INDEX samples_15m_bucket_idx ON samples_15m (bucket);
    `);
    await q.query(`
      INSERT INTO samples_15m (${COLUMNS})
      SELECT r.project_id, r.env, r.phase, ${QUARTER('r.bucket')}, ${MERGE_AGGREGATES}
        FROM samples_1m r GROUP BY 1, 2, 3, 4`);
    await q.query(`
      CREATE OR REPLACE FUNCTION samples_rollup_catch_up(max_minutes integer, settle interval) RETURNS integer LANGUAGE plpgsql AS $fn$
      DECLARE
        ids bigint[];
        minutes timestamptz[];
        quarters timestamptz[];
        lo timestamptz;
        hi timestamptz;
      BEGIN
        IF NOT pg_try_advisory_xact_lock(7301004) THEN
          RETURN 0;
        END IF;
        SELECT array_agg(p.id), array_agg(DISTINCT p.minute), min(p.minute), max(p.minute) INTO ids, minutes, lo, hi
          FROM samples_rollup_pending p
         WHERE p.minute IN (SELECT DISTINCT minute FROM samples_rollup_pending WHERE minute < now() - settle ORDER BY minute LIMIT max_minutes);
        IF ids IS NULL THEN
          RETURN 0;
        END IF;
        DELETE FROM samples_1m WHERE bucket = ANY (minutes);
        EXECUTE format(
          'INSERT INTO samples_1m (${COLUMNS})
           SELECT s.project_id, s.env, s.phase, ${esc(MINUTE)} AS bucket, count(*), ${RAW_AGGREGATES}
             FROM samples s
            WHERE s.collected_at >= %L AND s.collected_at < %L
              AND s.slot_at > %L AND s.slot_at < %L
              AND ${esc(MINUTE)} = ANY ($1)
            GROUP BY 1, 2, 3, 4',
          lo, hi + interval '60 seconds', lo - interval '40 seconds', hi + interval '60 seconds')
          USING minutes;
        IF to_regclass('samples_15m') IS NOT NULL THEN
          SELECT array_agg(DISTINCT ${QUARTER('m')}) INTO quarters FROM unnest(minutes) AS m;
          DELETE FROM samples_15m WHERE bucket = ANY (quarters);
          INSERT INTO samples_15m (${COLUMNS})
          SELECT r.project_id, r.env, r.phase, ${QUARTER('r.bucket')}, ${MERGE_AGGREGATES}
            FROM samples_1m r
           WHERE r.bucket >= ${QUARTER('lo')} AND r.bucket < ${QUARTER('hi')} + interval '15 minutes'
             AND ${QUARTER('r.bucket')} = ANY (quarters)
           GROUP BY 1, 2, 3, 4;
        END IF;
        DELETE FROM samples_rollup_pending WHERE id = ANY (ids);
        RETURN array_length(minutes, 1);
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS samples_15m`); // the catch-up skips the level when the table is absent
  }
}
