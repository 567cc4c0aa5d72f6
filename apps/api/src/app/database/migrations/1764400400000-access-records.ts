import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access records of the realtime routes (who, project, route, parameters, status, time, client address).
 * No foreign keys: a record outlives a deleted user, key or project. Pruned by SEQPULSE_AUDIT_RETENTION_DAYS.
 */
export class AccessRecords1764400400000 implements MigrationInterface {
  name = 'AccessRecords1764400400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access_records (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL,
        user_id uuid,
        api_key_id uuid,
        project_id uuid,
        route text NOT NULL,
        params jsonb NOT NULL DEFAULT '{}',
        status integer NOT NULL,
        client_ip text,
        duration_ms integer
      );
      CREATE INDEX access_records_at_idx ON access_records (at DESC, id DESC);
      CREATE INDEX access_records_project_idx ON access_records (project_id, at DESC, id DESC);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE access_records`);
  }
}
