import { MigrationInterface, QueryRunner } from 'typeorm';

/** The metrics as of this migration (a migration must not change when the catalogue does). */
const METRICS = ['requests_per_sec', 'latency_p95', 'error_rate', 'cpu_usage', 'memory_usage'];
/** Rollup levels: table name → bucket width in seconds. */
const LEVELS: Record<string, number> = { samples_1m: 60, samples_15m: 900 };

const columns = METRICS.map((m) => `${m}_sum double precision NOT NULL, ${m}_max double precision NOT NULL`).join(',\n        ');
const names = ['project_id', 'env', 'phase', 'bucket', 'n', ...METRICS.flatMap((m) => [`${m}_sum`, `${m}_max`])].join(', ');
const bucketOf = (width: number, column: string) => `to_timestamp(floor(extract(epoch FROM ${column}) / ${width}) * ${width})`;
const aggregates = METRICS.map((m) => `sum(${m}), max(${m})`).join(', ');
const merge = [
  'n = r.n + excluded.n',
  ...METRICS.flatMap((m) => [`${m}_sum = r.${m}_sum + excluded.${m}_sum`, `${m}_max = greatest(r.${m}_max, excluded.${m}_max)`]),
].join(',\n          ');

function upsert(table: string, width: number, source: string): string {
  return `
      INSERT INTO ${table} AS r (${names})
      SELECT project_id, env, phase, ${bucketOf(width, 'collected_at')} AS bucket, count(*), ${aggregates}
        FROM ${source}
       GROUP BY project_id, env, phase, bucket
       ORDER BY project_id, env, bucket, phase
      ON CONFLICT (project_id, env, bucket, phase) DO UPDATE SET
          ${merge};`;
}

/**
 * Exact pre-aggregated rollups of `samples` for the timeseries route: per (project, env, phase, bucket) the
 * sample count, and the sum and max of each metric, so a bucket's mean (Σsum/Σn) and max are exact for every
 * step that is a multiple of the rollup width. Maintained synchronously by a statement-level trigger over the
 * inserted rows (transition table), so they are never behind the raw samples. TimescaleDB hypertables do not
 * support transition tables: there the rollups are not created and the route reads raw samples.
 */
export class SamplesRollups1764400410000 implements MigrationInterface {
  name = 'SamplesRollups1764400410000';

  async up(q: QueryRunner): Promise<void> {
    const [{ relkind }] = await q.query(`SELECT relkind FROM pg_class WHERE relname = 'samples' AND relnamespace = 'public'::regnamespace`);
    if (relkind !== 'p') return;
    for (const table of Object.keys(LEVELS)) {
      await q.query(`
        CREATE TABLE ${table} (
          project_id uuid NOT NULL,
          env text NOT NULL,
          phase text NOT NULL,
          bucket timestamptz NOT NULL,
          n integer NOT NULL,
          ${columns},
          PRIMARY KEY (project_id, env, bucket, phase)
        ) WITH (fillfactor = 80)`);
      await q.query(`CREATE INDEX ${table}_bucket_idx ON ${table} (bucket)`);
    }
    await q.query(`
      CREATE FUNCTION samples_rollup() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${Object.entries(LEVELS)
          .map(([table, width]) => upsert(table, width, 'new_rows'))
          .join('\n')}
        RETURN NULL;
      END
      $fn$`);
    await q.query(
      `CREATE TRIGGER samples_rollup AFTER INSERT ON samples REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION samples_rollup()`,
    );
    // Samples written before this migration.
    for (const [table, width] of Object.entries(LEVELS)) await q.query(upsert(table, width, 'samples'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS samples_rollup ON samples`);
    await q.query(`DROP FUNCTION IF EXISTS samples_rollup()`);
    await q.query(`DROP TABLE IF EXISTS samples_1m, samples_15m`);
  }
}
