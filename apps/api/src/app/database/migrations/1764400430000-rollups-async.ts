import { MigrationInterface, QueryRunner } from 'typeorm';

const METRICS = ['requests_per_sec', 'latency_p95', 'error_rate', 'cpu_usage', 'memory_usage'];
const COLUMNS = ['project_id', 'env', 'phase', 'bucket', 'n', ...METRICS.flatMap((m) => [`${m}_sum`, `${m}_max`])].join(', ');
const AGGREGATES = METRICS.map((m) => `sum(s.${m}), max(s.${m})`).join(', ');
const MINUTE = `to_timestamp(floor(date_part('epoch', s.collected_at) / 60) * 60)`;

/**
 * Takes the rollups off the insert path. Before: a trigger upserted every sample into two rollup levels (3 row
 * writes per sample). Now the insert trigger only appends the minutes it touched to `samples_rollup_pending`
 * (one or two rows per batch), and `samples_rollup_catch_up()` — called every few seconds by worker processes —
 * recomputes those minutes of `samples_1m` from the raw samples (delete + insert, so late samples are exact too)
 * once they have settled. The timeseries route reads `samples_1m` for minutes that are not pending and the raw
 * samples for the pending ones (the last minute or two), in the same statement, so answers stay exact and current.
 * The 15-minute level is dropped: the covering key makes a 7-day read of the 1-minute level an index-only scan.
 */
export class RollupsAsync1764400430000 implements MigrationInterface {
  name = 'RollupsAsync1764400430000';

  async up(q: QueryRunner): Promise<void> {
    const [{ exists }] = await q.query(`SELECT to_regclass('samples_1m') IS NOT NULL AS exists`);
    if (!exists) return; // TimescaleDB mode: no rollups
    await q.query(`DROP TRIGGER IF EXISTS samples_rollup ON samples`);
    await q.query(`DROP FUNCTION IF EXISTS samples_rollup()`);
    await q.query(`DROP TABLE IF EXISTS samples_15m`);
    await q.query(`
      CREATE TABLE samples_rollup_pending (
        id bigserial PRIMARY KEY,
        minute timestamptz NOT NULL
      );
      CREATE INDEX samples_rollup_pending_minute_idx ON samples_rollup_pending (minute);
      ALTER TABLE samples_rollup_pending SET (autovacuum_vacuum_scale_factor = 0.01);
    `);
    await q.query(`
      CREATE FUNCTION samples_rollup_mark() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO samples_rollup_pending (minute) SELECT DISTINCT ${MINUTE} FROM new_rows s;
        RETURN NULL;
      END
      $fn$`);
    await q.query(
      `CREATE TRIGGER samples_rollup AFTER INSERT ON samples REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION samples_rollup_mark()`,
    );
    // Recomputes up to max_minutes settled pending minutes (oldest first); one caller at a time; returns how many.
    await q.query(`
      CREATE FUNCTION samples_rollup_catch_up(max_minutes integer, settle interval) RETURNS integer LANGUAGE plpgsql AS $fn$
      DECLARE
        ids bigint[];
        minutes timestamptz[];
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
        -- dynamic SQL: planned with the actual bounds, so only the needed day partitions are read
        EXECUTE format(
          'INSERT INTO samples_1m (${COLUMNS})
           SELECT s.project_id, s.env, s.phase, ${MINUTE.replace(/'/g, "''")} AS bucket, count(*), ${AGGREGATES}
             FROM samples s
            WHERE s.collected_at >= %L AND s.collected_at < %L
              AND s.slot_at > %L AND s.slot_at < %L
              AND ${MINUTE.replace(/'/g, "''")} = ANY ($1)
            GROUP BY 1, 2, 3, 4',
          lo, hi + interval '60 seconds', lo - interval '40 seconds', hi + interval '60 seconds')
          USING minutes;
        DELETE FROM samples_rollup_pending WHERE id = ANY (ids);
        RETURN array_length(minutes, 1);
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS samples_rollup ON samples`);
    await q.query(`DROP FUNCTION IF EXISTS samples_rollup_mark(), samples_rollup_catch_up(integer, interval)`);
    await q.query(`DROP TABLE IF EXISTS samples_rollup_pending`);
  }
}
