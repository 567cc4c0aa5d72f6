import { METRIC_NAMES } from '@seqpulse/contracts';
import { ADVISORY_LOCKS } from '../database/advisory-locks';
import { liveAndArchivedSql, ROLLUP_AGGREGATE_COLUMNS } from './archive-sql';

export { ROLLUP_AGGREGATE_COLUMNS };

/**
 * The rollups' SQL, derived from the metric catalogue: per project, env, phase and bucket, the count and, for
 * each metric, the sum and the max (exact means and maxima of any step that is a multiple of the bucket).
 */
const COLUMNS = ['project_id', 'env', 'phase', 'bucket', ...ROLLUP_AGGREGATE_COLUMNS].join(', ');
/** `sum(s.m), max(s.m)` of each metric over raw samples `s`, in column order. */
export const RAW_ROLLUP_AGGREGATES = METRIC_NAMES.map((m) => `sum(s.${m}), max(s.${m})`).join(', ');
/** The same over finer rollup rows `r`. */
const MERGE_AGGREGATES = ['sum(r.n)', ...METRIC_NAMES.flatMap((m) => [`sum(r.${m}_sum)`, `max(r.${m}_max)`])].join(', ');
export const MINUTE_OF_SAMPLE = `to_timestamp(floor(date_part('epoch', s.collected_at) / 60) * 60)`;
export const quarterOf = (col: string) => `to_timestamp(floor(date_part('epoch', ${col}) / 900) * 900)`;
const esc = (sql: string) => sql.replace(/'/g, "''");

/**
 * The raw samples of the pending minutes (`$1`), live and archived (a late sample of a compacted day is
 * recomputed with the rest of its minute); `%1$L`…`%4$L` are the bounds `format()` fills in.
 */
const RAW_OF_MINUTES = liveAndArchivedSql('samples', {
  alias: 's',
  lo: `%3$L::timestamptz`,
  hi: `%4$L::timestamptz`,
  where: `s.collected_at >= %1$L AND s.collected_at < %2$L AND s.slot_at > %3$L AND s.slot_at < %4$L AND ${MINUTE_OF_SAMPLE} = ANY ($1)`,
});
/** The minutes of the quarters to recompute, live and archived. */
const MINUTES_OF_QUARTERS = liveAndArchivedSql('samples_1m', {
  alias: 'r',
  lo: quarterOf('lo'),
  hi: `${quarterOf('hi')} + interval '15 minutes'`,
  where: `r.bucket >= ${quarterOf('lo')} AND r.bucket < ${quarterOf('hi')} + interval '15 minutes' AND ${quarterOf('r.bucket')} = ANY (quarters)`,
});

/**
 * `samples_rollup_catch_up(max_minutes, settle)`: recomputes up to `max_minutes` settled pending minutes of
 * `samples_1m` from the raw samples (delete + insert, so late samples are exact too), then the quarters of
 * `samples_15m` containing them; one caller at a time; returns how many minutes. Recreated at every start from
 * the catalogue (`RollupMaintenance`), so a new metric needs only its columns in a migration.
 */
export const ROLLUP_CATCH_UP_FUNCTION = `
  CREATE OR REPLACE FUNCTION samples_rollup_catch_up(max_minutes integer, settle interval) RETURNS integer LANGUAGE plpgsql AS $fn$
  DECLARE
    ids bigint[];
    minutes timestamptz[];
    quarters timestamptz[];
    lo timestamptz;
    hi timestamptz;
  BEGIN
    IF NOT pg_try_advisory_xact_lock(${ADVISORY_LOCKS.rollupCatchUp}) THEN
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
       SELECT s.project_id, s.env, s.phase, ${esc(MINUTE_OF_SAMPLE)} AS bucket, count(*), ${RAW_ROLLUP_AGGREGATES}
         FROM ${esc(RAW_OF_MINUTES)} s
        GROUP BY 1, 2, 3, 4',
      lo, hi + interval '60 seconds', lo - interval '40 seconds', hi + interval '60 seconds')
      USING minutes;
    IF to_regclass('samples_15m') IS NOT NULL THEN
      SELECT array_agg(DISTINCT ${quarterOf('m')}) INTO quarters FROM unnest(minutes) AS m;
      DELETE FROM samples_15m WHERE bucket = ANY (quarters);
      INSERT INTO samples_15m (${COLUMNS})
      SELECT r.project_id, r.env, r.phase, ${quarterOf('r.bucket')}, ${MERGE_AGGREGATES}
        FROM ${MINUTES_OF_QUARTERS} r
       GROUP BY 1, 2, 3, 4;
    END IF;
    DELETE FROM samples_rollup_pending WHERE id = ANY (ids);
    RETURN array_length(minutes, 1);
  END
  $fn$`;
