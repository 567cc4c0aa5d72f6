import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Built-in alerts: rule overrides, alert instances (one open per project/env/rule, enforced by a partial
 * unique index), when monitoring started per env (the `no_data` reference for an env that never sent a
 * sample), notification settings and the delivery outbox with every attempt.
 */
export class Alerts1764400500000 implements MigrationInterface {
  name = 'Alerts1764400500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_rules (
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        -- '' = the project-wide rule; otherwise an override for that env
        env text NOT NULL DEFAULT '',
        rule text NOT NULL CHECK (rule IN ('error_rate_high', 'latency_p95_high', 'cpu_high', 'memory_high', 'no_data')),
        threshold double precision NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        PRIMARY KEY (project_id, env, rule)
      );

      CREATE TABLE alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        env text NOT NULL,
        rule text NOT NULL CHECK (rule IN ('error_rate_high', 'latency_p95_high', 'cpu_high', 'memory_high', 'no_data')),
        state text NOT NULL CHECK (state IN ('firing', 'resolved')),
        value double precision,
        threshold double precision NOT NULL,
        started_at timestamptz NOT NULL,
        resolved_at timestamptz,
        resolution_reason text,
        CHECK ((state = 'firing') = (resolved_at IS NULL))
      );
      -- One open alert per (project, env, rule), whatever the number of evaluator processes.
      CREATE UNIQUE INDEX alerts_one_open_idx ON alerts (project_id, env, rule) WHERE state = 'firing';
      CREATE INDEX alerts_project_started_idx ON alerts (project_id, started_at DESC);

      CREATE TABLE alert_monitored_envs (
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        env text NOT NULL,
        since timestamptz NOT NULL,
        PRIMARY KEY (project_id, env)
      );

      CREATE TABLE notification_settings (
        project_id uuid PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
        webhook_url text,
        slack_webhook_url text,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL
      );

      CREATE TABLE notification_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        alert_id uuid NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ('webhook', 'slack')),
        transition text NOT NULL CHECK (transition IN ('firing', 'resolved')),
        url text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL,
        -- when a pending delivery is next due; a claimed one is pushed past its send timeout (a lease)
        next_attempt_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz,
        UNIQUE (alert_id, transition, channel)
      );
      CREATE INDEX notification_deliveries_due_idx ON notification_deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX notification_deliveries_project_idx ON notification_deliveries (project_id, created_at DESC);

      CREATE TABLE notification_attempts (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES notification_deliveries(id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        http_status integer,
        ok boolean NOT NULL,
        error text
      );
      CREATE INDEX notification_attempts_delivery_idx ON notification_attempts (delivery_id, attempt);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DROP TABLE notification_attempts, notification_deliveries, notification_settings, alert_monitored_envs, alerts, alert_rules`,
    );
  }
}
