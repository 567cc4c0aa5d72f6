import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The account lifecycle and the safe-by-default start:
 * - users can be disabled (their sessions and keys fail on the next request) and show their last sign-in;
 * - sessions have an idle lifetime besides the absolute one (`last_seen_at`);
 * - what the demo seeded is marked `demo`, so a start with the demo off can refuse it;
 * - `account_status`, published by auth/, is what other modules may read of an account;
 * - `rate_limits` holds the per-credential request counters shared by every API process (rate-limiter-flexible's
 *   Postgres store layout). UNLOGGED: counters need no crash safety and must not cost WAL on every request.
 */
export class AccountLifecycle1764400950000 implements MigrationInterface {
  name = 'AccountLifecycle1764400950000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN disabled_at timestamptz,
        ADD COLUMN last_login_at timestamptz,
        ADD COLUMN demo boolean NOT NULL DEFAULT false;
      ALTER TABLE projects ADD COLUMN demo boolean NOT NULL DEFAULT false;
      ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
      CREATE INDEX sessions_expires_idx ON sessions (expires_at);
      -- Databases seeded before this migration: the demo accounts are known by their published emails.
      UPDATE users SET demo = true WHERE lower(email) IN ('demo@seqpulse.local', 'admin@seqpulse.local');
      UPDATE projects SET demo = true WHERE owner_id IN (SELECT id FROM users WHERE demo);
      -- What other modules may read of accounts (published by auth/): never the password hash.
      CREATE VIEW account_status AS
        SELECT id, email, role, disabled_at IS NOT NULL AS disabled, demo FROM users;
      CREATE UNLOGGED TABLE rate_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE rate_limits;
      DROP VIEW account_status;
      DROP INDEX sessions_expires_idx;
      ALTER TABLE sessions DROP COLUMN last_seen_at;
      ALTER TABLE projects DROP COLUMN demo;
      ALTER TABLE users DROP COLUMN disabled_at, DROP COLUMN last_login_at, DROP COLUMN demo;
    `);
  }
}
