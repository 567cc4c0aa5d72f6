import { MigrationInterface, QueryRunner } from 'typeorm';

/** The metrics as of this migration (a migration must not change when the catalogue does). */
const METRICS = ['requests_per_sec', 'latency_p95', 'error_rate', 'cpu_usage', 'memory_usage'];

/** Per archive table: its live table (rollups exist only on a partitioned `samples`) and its array columns. */
const ARCHIVES: { table: string; live: string; columns: string[] }[] = [
  {
    table: 'samples_archive',
    live: 'samples',
    columns: ['slot_ms integer[]', 'lag_ms integer[]', 'post boolean[]', ...METRICS.map((m) => `${m} double precision[]`)],
  },
  ...['samples_1m', 'samples_15m'].map((live) => ({
    table: `${live}_archive`,
    live,
    columns: [
      'bucket_s integer[]',
      'post boolean[]',
      'n integer[]',
      ...METRICS.flatMap((m) => [`${m}_sum double precision[]`, `${m}_max double precision[]`]),
    ],
  })),
];

/**
 * Columnar archive of closed days (docs/architecture.md, "Compaction of closed days"): per (project, env,
 * period: an hour of `samples`, a UTC day of `samples_1m` / `samples_15m`) ONE row holding every row of that
 * period as one array per column (float8 values kept exactly). The arrays are TOASTed and compressed with pglz:
 * measured on the same data, it keeps them ~20 % smaller than lz4 for no measurable read cost
 * (docs/performance.md, issue 16).
 */
export class SamplesArchive1764401500000 implements MigrationInterface {
  name = 'SamplesArchive1764401500000';

  async up(q: QueryRunner): Promise<void> {
    // Postgres ≥ 14 chooses the method per column (and a server may default to lz4)
    const [{ choosable }] = await q.query(
      `SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression') AS choosable`,
    );
    for (const archive of ARCHIVES) {
      const [{ exists }] = await q.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [archive.live]);
      if (!exists) continue; // TimescaleDB mode: no rollups
      await q.query(`
        CREATE TABLE ${archive.table} (
          project_id uuid NOT NULL,
          env text NOT NULL,
          period_start timestamptz NOT NULL,
          ${archive.columns.join(',\n          ')},
          PRIMARY KEY (project_id, env, period_start)
        )`);
      await q.query(`CREATE INDEX ${archive.table}_period_idx ON ${archive.table} (period_start)`);
      if (choosable) {
        const names = archive.columns.map((c) => c.split(' ')[0]);
        await q.query(`ALTER TABLE ${archive.table} ${names.map((n) => `ALTER COLUMN ${n} SET COMPRESSION pglz`).join(', ')}`);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS ${ARCHIVES.map((a) => a.table).join(', ')}`);
  }
}
