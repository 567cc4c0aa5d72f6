import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deployment impact and verdicts: the latest verdict of each deployment with its impact (recomputed while the
 * observation window is open, final when it closes), per-project overrides of the verdict rules, a NOTIFY on
 * `seqpulse_deployments` when a deployment starts or finishes (whoever writes the row), and the notification
 * outbox opened to deployment verdicts (a delivery is about an alert or a deployment).
 */
export class DeploymentVerdicts1764400700000 implements MigrationInterface {
  name = 'DeploymentVerdicts1764400700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deployment_verdicts (
        deployment_id uuid PRIMARY KEY REFERENCES deployments(id) ON DELETE CASCADE,
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        verdict text NOT NULL CHECK (verdict IN ('ok', 'warning', 'rollback_recommended', 'inconclusive')),
        final boolean NOT NULL,
        reasons jsonb NOT NULL,
        impact jsonb NOT NULL,
        computed_at timestamptz NOT NULL,
        -- when the verdict value or finality last changed
        changed_at timestamptz NOT NULL
      );
      CREATE INDEX deployment_verdicts_open_idx ON deployment_verdicts (deployment_id) WHERE NOT final;

      CREATE TABLE deployment_verdict_settings (
        project_id uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        setting text NOT NULL CHECK (setting IN ('latency_p95_limit', 'error_rate_limit', 'cpu_usage_limit', 'memory_usage_limit',
                                                 'warning_margin', 'min_post_samples')),
        value double precision NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        PRIMARY KEY (project_id, setting)
      );

      CREATE INDEX deployments_finished_idx ON deployments (finished_at) WHERE finished_at IS NOT NULL;

      CREATE FUNCTION seqpulse_deployment_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' OR (NEW.finished_at IS NOT NULL AND OLD.finished_at IS NULL) THEN
          PERFORM pg_notify('seqpulse_deployments', json_build_object(
            'project_id', NEW.project_id, 'deployment_id', NEW.id, 'env', NEW.env,
            'state', CASE WHEN TG_OP = 'INSERT' THEN 'started' ELSE 'finished' END)::text);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER deployments_notify AFTER INSERT OR UPDATE OF finished_at ON deployments
        FOR EACH ROW EXECUTE FUNCTION seqpulse_deployment_notify();

      ALTER TABLE notification_deliveries
        ALTER COLUMN alert_id DROP NOT NULL,
        ADD COLUMN deployment_id uuid REFERENCES deployments(id) ON DELETE CASCADE,
        DROP CONSTRAINT notification_deliveries_transition_check,
        ADD CONSTRAINT notification_deliveries_transition_check
          CHECK (transition IN ('firing', 'resolved', 'warning', 'rollback_recommended', 'final')),
        ADD CONSTRAINT notification_deliveries_subject_check CHECK ((alert_id IS NULL) <> (deployment_id IS NULL)),
        ADD CONSTRAINT notification_deliveries_deployment_key UNIQUE (deployment_id, transition, channel);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DELETE FROM notification_deliveries WHERE deployment_id IS NOT NULL;
      ALTER TABLE notification_deliveries
        DROP CONSTRAINT notification_deliveries_deployment_key,
        DROP CONSTRAINT notification_deliveries_subject_check,
        DROP CONSTRAINT notification_deliveries_transition_check,
        ADD CONSTRAINT notification_deliveries_transition_check CHECK (transition IN ('firing', 'resolved')),
        DROP COLUMN deployment_id,
        ALTER COLUMN alert_id SET NOT NULL;
      DROP TRIGGER deployments_notify ON deployments;
      DROP FUNCTION seqpulse_deployment_notify();
      DROP INDEX deployments_finished_idx;
      DROP TABLE deployment_verdict_settings, deployment_verdicts;
    `);
  }
}
