import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One lease row per monitored (project, env) instead of a `jobs` row per 15 s slot (docs/architecture.md, "Job
 * system"). A slot used to cost an INSERT (five indexes and a foreign key check), two UPDATEs and a DELETE; the
 * lease is advanced in place. `jobs` keeps only the slots that failed for good (what /health/scheduler counts as
 * failed), and `poll_flush_stats` one row per collector flush for the 15-minute figures.
 */
export class PollLeases1764402000000 implements MigrationInterface {
  name = 'PollLeases1764402000000';

  async up(q: QueryRunner): Promise<void> {
    // No index but the primary key, whose columns never change: the two updates of a slot (claim, completion) are
    // HOT updates in the same page (fillfactor leaves the room), writing no index entry. The claim scans the table
    // (one row per target, a few pages per thousand targets) once a second per worker instead.
    await q.query(`
      CREATE TABLE poll_leases (
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        env text NOT NULL,
        interval_s integer NOT NULL,
        offset_ms integer NOT NULL,
        next_slot_at timestamptz NOT NULL,
        run_after timestamptz NOT NULL,
        state text NOT NULL DEFAULT 'idle' CHECK (state IN ('idle', 'running')),
        attempts integer NOT NULL DEFAULT 0,
        lease_until timestamptz,
        locked_by text,
        started_at timestamptz,
        PRIMARY KEY (project_id, env)
      ) WITH (fillfactor = 50)`);
    await q.query(`
      CREATE TABLE poll_flush_stats (
        at timestamptz NOT NULL DEFAULT now(),
        worker text NOT NULL,
        succeeded integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        requeued integer NOT NULL DEFAULT 0,
        timed integer NOT NULL DEFAULT 0,
        duration_ms_sum bigint NOT NULL DEFAULT 0,
        lags_ms integer[] NOT NULL DEFAULT '{}'
      )`);
    await q.query(`CREATE INDEX poll_flush_stats_at_idx ON poll_flush_stats (at)`);
    // The oldest open slot of every target becomes its lease: slots left behind by the upgrade fail as missed.
    await q.query(`
      INSERT INTO poll_leases (project_id, env, interval_s, offset_ms, next_slot_at, run_after)
      SELECT j.project_id, j.env, pm.poll_interval_s,
             (hashtextextended(j.project_id::text || '/' || j.env, 0) & 2147483647) % (pm.poll_interval_s * 1000),
             min(j.slot_at), min(j.slot_at)
        FROM jobs j JOIN project_monitoring pm ON pm.project_id = j.project_id
       WHERE j.kind = 'poll' AND j.state IN ('pending', 'running') AND pm.monitored AND j.env = ANY(pm.envs)
       GROUP BY j.project_id, j.env, pm.poll_interval_s`);
    await q.query(`DELETE FROM jobs WHERE state <> 'failed'`);
    await q.query(`DROP INDEX IF EXISTS jobs_due_idx, jobs_lease_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS poll_flush_stats, poll_leases`);
    await q.query(`CREATE INDEX IF NOT EXISTS jobs_due_idx ON jobs (run_after) WHERE state = 'pending'`);
    await q.query(`CREATE INDEX IF NOT EXISTS jobs_lease_idx ON jobs (lease_until) WHERE state = 'running'`);
  }
}
