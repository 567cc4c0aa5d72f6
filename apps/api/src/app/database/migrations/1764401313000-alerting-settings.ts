import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alerting settings (docs/alerting.md): per-rule levels, hysteresis, window and aggregation; alert levels, the
 * silenced flag and the re-notification bookkeeping; each alert's timeline; silences; maintenance windows with their
 * expanded occurrences; per-project notification options; and a sequence in the outbox key so one alert can be
 * announced more than once (escalation, re-notification). Every new column's default is the old behaviour.
 */
export class AlertingSettings1764401313000 implements MigrationInterface {
  name = 'AlertingSettings1764401313000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- NULL = the default (no warning level, recovery at the threshold, the catalogue's window and aggregation, 1 sample).
      ALTER TABLE alert_rules
        ADD COLUMN warning double precision,
        ADD COLUMN recovery_critical double precision,
        ADD COLUMN recovery_warning double precision,
        ADD COLUMN window_min integer CHECK (window_min BETWEEN 1 AND 60),
        ADD COLUMN aggregation text CHECK (aggregation IN ('mean', 'max', 'min')),
        ADD COLUMN min_samples integer CHECK (min_samples BETWEEN 1 AND 240);

      ALTER TABLE alerts
        ADD COLUMN level text NOT NULL DEFAULT 'critical' CHECK (level IN ('warning', 'critical')),
        ADD COLUMN silenced boolean NOT NULL DEFAULT false,
        -- bumped by every announcement after the first (escalation, end of a silence, re-notification): the outbox key
        ADD COLUMN announce_seq integer NOT NULL DEFAULT 0,
        ADD COLUMN renotified integer NOT NULL DEFAULT 0,
        ADD COLUMN last_announced_at timestamptz;
      -- Alerts opened before this migration were announced when they opened.
      UPDATE alerts SET last_announced_at = started_at;

      CREATE TABLE alert_events (
        id bigserial PRIMARY KEY,
        alert_id uuid NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
        at timestamptz NOT NULL,
        kind text NOT NULL CHECK (kind IN ('opened', 'escalated', 'deescalated', 'silenced', 'unsilenced', 'renotified', 'resolved')),
        level text NOT NULL CHECK (level IN ('warning', 'critical')),
        value double precision
      );
      CREATE INDEX alert_events_alert_idx ON alert_events (alert_id, at);

      CREATE TABLE alert_silences (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        env text,
        rule text,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        comment text NOT NULL,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        -- who, as they were named when they created it (the account may be deleted later)
        created_by_email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        ended_by uuid REFERENCES users(id) ON DELETE SET NULL,
        -- equal once a silence that had not started yet is ended early
        CHECK (ends_at >= starts_at)
      );
      CREATE INDEX alert_silences_project_idx ON alert_silences (project_id, ends_at);

      CREATE TABLE maintenance_windows (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        env text,
        rrule text,
        starts_at timestamptz NOT NULL,
        duration_min integer NOT NULL CHECK (duration_min BETWEEN 1 AND 1440),
        time_zone text NOT NULL,
        comment text NOT NULL,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_by_email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX maintenance_windows_project_idx ON maintenance_windows (project_id);

      -- Concrete occurrences of the windows over the next hours (the expansion task keeps it filled), so the
      -- evaluation joins intervals instead of computing recurrences.
      CREATE TABLE maintenance_intervals (
        window_id uuid NOT NULL REFERENCES maintenance_windows(id) ON DELETE CASCADE,
        project_id uuid NOT NULL,
        env text,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        PRIMARY KEY (window_id, starts_at)
      );
      CREATE INDEX maintenance_intervals_project_idx ON maintenance_intervals (project_id, ends_at);

      ALTER TABLE notification_settings
        ADD COLUMN send_resolved boolean NOT NULL DEFAULT true,
        ADD COLUMN renotify_min integer CHECK (renotify_min BETWEEN 1 AND 1440),
        ADD COLUMN renotify_max integer NOT NULL DEFAULT 10 CHECK (renotify_max BETWEEN 1 AND 100),
        ADD COLUMN webhook_format text NOT NULL DEFAULT 'seqpulse' CHECK (webhook_format IN ('seqpulse', 'alertmanager'));

      ALTER TABLE notification_deliveries
        ADD COLUMN seq integer NOT NULL DEFAULT 0,
        DROP CONSTRAINT notification_deliveries_alert_id_transition_channel_key,
        ADD CONSTRAINT notification_deliveries_alert_key UNIQUE (alert_id, transition, channel, seq);

      -- Published by notifications for the evaluator's re-notification step (docs/architecture.md, "Data access").
      CREATE VIEW alert_notification_policy AS
      SELECT ns.project_id, ns.renotify_min, ns.renotify_max
        FROM notification_settings ns
       WHERE ns.renotify_min IS NOT NULL AND (ns.webhook_url IS NOT NULL OR ns.slack_webhook_url IS NOT NULL);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP VIEW alert_notification_policy;
      DELETE FROM notification_deliveries WHERE seq > 0;
      ALTER TABLE notification_deliveries DROP CONSTRAINT notification_deliveries_alert_key,
        ADD CONSTRAINT notification_deliveries_alert_id_transition_channel_key UNIQUE (alert_id, transition, channel),
        DROP COLUMN seq;
      ALTER TABLE notification_settings DROP COLUMN send_resolved, DROP COLUMN renotify_min, DROP COLUMN renotify_max, DROP COLUMN webhook_format;
      DROP TABLE maintenance_intervals, maintenance_windows, alert_silences, alert_events;
      ALTER TABLE alerts DROP COLUMN level, DROP COLUMN silenced, DROP COLUMN announce_seq, DROP COLUMN renotified, DROP COLUMN last_announced_at;
      ALTER TABLE alert_rules DROP COLUMN warning, DROP COLUMN recovery_critical, DROP COLUMN recovery_warning,
        DROP COLUMN window_min, DROP COLUMN aggregation, DROP COLUMN min_samples;
    `);
  }
}
