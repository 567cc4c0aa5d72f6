import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The time-series store, the job table, collection failures, worker heartbeats and deployments.
 * `samples` is range-partitioned by day on `slot_at` (SamplesMaintenance creates partitions ahead and
 * drops expired ones); with TimescaleDB available it is converted to a hypertable instead.
 */
export class RealtimeStore1764400100000 implements MigrationInterface {
  name = 'RealtimeStore1764400100000';

  async up(q: QueryRunner): Promise<void> {
    await createSamplesTable(q);
    await q.query(`
      CREATE TABLE deployments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        env text NOT NULL,
        idempotency_key text,
        branch text,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        result text CHECK (result IN ('success', 'failed'))
      );
      CREATE UNIQUE INDEX deployments_idempotency_key ON deployments (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
      CREATE INDEX deployments_project_env_idx ON deployments (project_id, env, finished_at);
      CREATE INDEX deployments_started_idx ON deployments (project_id, started_at);
      ALTER TABLE projects ADD COLUMN post_window_min integer NOT NULL DEFAULT 30 CHECK (post_window_min BETWEEN 1 AND 1440);

      CREATE TABLE jobs (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        project_id uuid REFERENCES projects(id) ON DELETE CASCADE,
        env text,
        slot_at timestamptz NOT NULL,
        state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'succeeded', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL DEFAULT 3,
        run_after timestamptz NOT NULL,
        lease_until timestamptz,
        locked_by text,
        started_at timestamptz,
        finished_at timestamptz,
        duration_ms integer,
        lag_ms integer,
        last_error text,
        requeued_count integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, project_id, env, slot_at)
      );
      CREATE INDEX jobs_due_idx ON jobs (run_after) WHERE state = 'pending';
      CREATE INDEX jobs_lease_idx ON jobs (lease_until) WHERE state = 'running';
      CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE state IN ('succeeded', 'failed');

      CREATE TABLE collection_failures (
        id bigserial PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        env text NOT NULL,
        slot_at timestamptz NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}'
      );
      CREATE INDEX collection_failures_project_idx ON collection_failures (project_id, at DESC);
      CREATE INDEX collection_failures_at_idx ON collection_failures (at);

      CREATE TABLE workers (
        id text PRIMARY KEY,
        role text NOT NULL,
        pid integer NOT NULL,
        host text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE analysis_runs (
        id bigserial PRIMARY KEY,
        kind text NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms integer NOT NULL
      );
      CREATE INDEX analysis_runs_started_idx ON analysis_runs (started_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE analysis_runs, workers, collection_failures, jobs, deployments, samples`);
    await q.query(`ALTER TABLE projects DROP COLUMN post_window_min`);
  }
}

const SAMPLE_COLUMNS = `
  project_id uuid NOT NULL,
  env text NOT NULL,
  phase text NOT NULL CHECK (phase IN ('pre', 'post')),
  -- the poll slot: one sample per (project, env, slot), which makes a repeated write a no-op
  slot_at timestamptz NOT NULL,
  -- when the answer was received; time-series buckets use this
  collected_at timestamptz NOT NULL,
  requests_per_sec double precision NOT NULL,
  latency_p95 double precision NOT NULL,
  error_rate double precision NOT NULL,
  cpu_usage double precision NOT NULL,
  memory_usage double precision NOT NULL,
  PRIMARY KEY (project_id, env, slot_at)`;

/** TimescaleDB only works when preloaded; being merely installed is not enough. */
async function timescaleUsable(q: QueryRunner): Promise<boolean> {
  const [row] = await q.query(`SELECT
      EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') AS available,
      current_setting('shared_preload_libraries') LIKE '%timescaledb%' AS preloaded`);
  return row.available && row.preloaded;
}

async function createSamplesTable(q: QueryRunner): Promise<void> {
  if (await timescaleUsable(q)) {
    await q.query(`CREATE EXTENSION IF NOT EXISTS timescaledb`);
    await q.query(`CREATE TABLE samples (${SAMPLE_COLUMNS})`);
    await q.query(`SELECT create_hypertable('samples', 'slot_at', chunk_time_interval => INTERVAL '1 day')`);
    await q.query(
      `ALTER TABLE samples SET (timescaledb.compress, timescaledb.compress_segmentby = 'project_id, env', timescaledb.compress_orderby = 'slot_at')`,
    );
    await q.query(`SELECT add_compression_policy('samples', INTERVAL '2 days')`);
    // Retention for hypertables is applied by SamplesMaintenance (drop_chunks) so one setting rules both modes.
  } else {
    await q.query(`CREATE TABLE samples (${SAMPLE_COLUMNS}) PARTITION BY RANGE (slot_at)`);
  }
  await q.query(`CREATE INDEX samples_series_idx ON samples (project_id, env, collected_at)`);
}
