import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MonitoringStatus, Plan, RolloutStage, RolloutView } from '@seqpulse/contracts';
import { ApiError } from '../common/api-error';
import { AppConfig } from '../config/app-config';

/**
 * The admin's rollout of Realtime: a pilot list of projects, then every Enterprise project; and the demo's projects
 * only while the demo runs.
 */
@Injectable()
export class RolloutService implements OnModuleInit {
  private readonly logger = new Logger(RolloutService.name);

  constructor(
    private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * An API process records whether the demo runs (`SEQPULSE_DEMO`), which the "monitored" rule reads: a database that
   * once ran the demo, started with it off, stops polling and alerting on the demo's projects (its accounts are
   * refused already), and resumes when the demo is turned on again. Worker-only processes leave it as it is.
   */
  async onModuleInit(): Promise<void> {
    if (!this.config.runsApi) return;
    const running = this.config.demo;
    const changed = await this.db.query(
      `UPDATE rollout_settings SET demo_running = $1 WHERE id = 1 AND demo_running IS DISTINCT FROM $1 RETURNING id`,
      [running],
    );
    if (!changed.length) return;
    const [{ projects }] = await this.db.query(`SELECT count(*)::int AS projects FROM project_monitoring WHERE demo`);
    if (projects > 0) {
      this.logger.warn(
        { projects },
        running ? 'The demo is on: its projects are monitored again' : 'The demo is off: its projects are no longer monitored',
      );
    }
  }

  async get(): Promise<RolloutView> {
    const [settings] = await this.db.query(`SELECT stage FROM rollout_settings WHERE id = 1`);
    const pilots: { project_id: string }[] = await this.db.query(
      `SELECT project_id FROM rollout_pilot_projects ORDER BY added_at, project_id`,
    );
    return { stage: settings.stage, pilot_project_ids: pilots.map((p) => p.project_id) };
  }

  async set(stage: RolloutStage, pilotProjectIds: string[], adminId: string): Promise<RolloutView> {
    const ids = [...new Set(pilotProjectIds)];
    await this.db.transaction(async (tx) => {
      const known: { id: string }[] = ids.length
        ? await tx.query(`SELECT project_id AS id FROM project_monitoring WHERE project_id = ANY($1::uuid[])`, [ids])
        : [];
      const unknown = ids.filter((id) => !known.some((k) => k.id === id));
      if (unknown.length) throw ApiError.validation('Unknown project ids in pilot_project_ids.', { unknown_project_ids: unknown });
      await tx.query(`UPDATE rollout_settings SET stage = $1, updated_at = now(), updated_by = $2 WHERE id = 1`, [stage, adminId]);
      await tx.query(`DELETE FROM rollout_pilot_projects WHERE NOT (project_id = ANY($1::uuid[]))`, [ids]);
      await tx.query(`INSERT INTO rollout_pilot_projects (project_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING`, [ids]);
    });
    return this.get();
  }

  /** Monitoring status of many projects with one query of the `project_monitoring` view. */
  async statusOf(projects: { id: string; plan: Plan }[]): Promise<Map<string, MonitoringStatus>> {
    const rows: { project_id: string; monitored: boolean }[] = projects.length
      ? await this.db.query(`SELECT project_id, monitored FROM project_monitoring WHERE project_id = ANY($1::uuid[])`, [
          projects.map((p) => p.id),
        ])
      : [];
    const monitored = new Map(rows.map((r) => [r.project_id, r.monitored]));
    return new Map(projects.map((p) => [p.id, monitoringStatusOf(p.plan, monitored.get(p.id) ?? false)]));
  }
}

/**
 * The status shown for a project, from its plan and the `monitored` column of the `project_monitoring` view: the
 * rule itself ("enterprise, and in the pilot list unless the stage is general") exists only in that view.
 */
export function monitoringStatusOf(plan: Plan, monitored: boolean): MonitoringStatus {
  if (plan !== 'enterprise') return { enabled: false, reason: 'plan_not_enterprise' };
  return monitored ? { enabled: true } : { enabled: false, reason: 'monitoring_not_enabled' };
}
