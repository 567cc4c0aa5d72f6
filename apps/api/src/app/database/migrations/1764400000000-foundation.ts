import { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, sessions, API keys, projects and the rollout setting. */
export class Foundation1764400000000 implements MigrationInterface {
  name = 'Foundation1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'member')),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

      CREATE TABLE sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX sessions_user_idx ON sessions (user_id);

      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        prefix text NOT NULL,
        scopes text[] NOT NULL,
        project_ids uuid[],
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX api_keys_user_idx ON api_keys (user_id);

      CREATE TABLE projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name text NOT NULL,
        plan text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro', 'enterprise')),
        envs text[] NOT NULL,
        metrics_endpoint text NOT NULL,
        hmac_enabled boolean NOT NULL DEFAULT false,
        hmac_secret_enc text,
        poll_interval_s integer NOT NULL DEFAULT 15 CHECK (poll_interval_s BETWEEN 15 AND 30),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX projects_owner_idx ON projects (owner_id);
      CREATE INDEX projects_plan_idx ON projects (plan);

      CREATE TABLE rollout_settings (
        id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
        stage text NOT NULL DEFAULT 'pilot' CHECK (stage IN ('pilot', 'general')),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL
      );
      INSERT INTO rollout_settings (id, stage) VALUES (1, 'pilot');

      CREATE TABLE rollout_pilot_projects (
        project_id uuid PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        added_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rollout_pilot_projects, rollout_settings, projects, api_keys, sessions, users`);
  }
}
