import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Queryable } from '../notifications/notifications.service';
import type { ComputedVerdict, SavedVerdict, VerdictRow } from './interfaces/verdict-row';
import { VERDICT_SETTING_NAMES, VerdictSettingName } from './verdict-rules';

const COLUMNS = 'deployment_id, project_id, verdict, final, reasons, impact, computed_at, changed_at';

/** The tables of this module: `deployment_verdicts` and `deployment_verdict_settings`. */
@Injectable()
export class DeploymentVerdictsRepository {
  constructor(private readonly db: DataSource) {}

  async byIds(ids: readonly string[]): Promise<Map<string, VerdictRow>> {
    if (ids.length === 0) return new Map();
    const rows: VerdictRow[] = await this.db.query(`SELECT ${COLUMNS} FROM deployment_verdicts WHERE deployment_id = ANY($1::uuid[])`, [
      ids,
    ]);
    return new Map(rows.map((r) => [r.deployment_id, r]));
  }

  /** Value and finality only (the list route and the pass do not need the impact). */
  async statesOf(ids: readonly string[]): Promise<Map<string, Pick<VerdictRow, 'verdict' | 'final'>>> {
    if (ids.length === 0) return new Map();
    const rows: { deployment_id: string; verdict: VerdictRow['verdict']; final: boolean }[] = await this.db.query(
      `SELECT deployment_id, verdict, final FROM deployment_verdicts WHERE deployment_id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.deployment_id, { verdict: r.verdict, final: r.final }]));
  }

  /** Per-project overrides of the verdict settings. */
  async settingsOf(projectIds: readonly string[]): Promise<Map<string, Partial<Record<VerdictSettingName, number>>>> {
    const result = new Map<string, Partial<Record<VerdictSettingName, number>>>();
    if (projectIds.length === 0) return result;
    const rows: { project_id: string; setting: VerdictSettingName; value: number }[] = await this.db.query(
      `SELECT project_id, setting, value FROM deployment_verdict_settings WHERE project_id = ANY($1::uuid[])`,
      [projectIds],
    );
    for (const r of rows) {
      const entry = result.get(r.project_id) ?? {};
      entry[r.setting] = r.value;
      result.set(r.project_id, entry);
    }
    return result;
  }

  /** Replaces a project's overrides (a setting not given goes back to its default). */
  async replaceSettings(projectId: string, overrides: Partial<Record<VerdictSettingName, number>>, userId: string): Promise<void> {
    const names = VERDICT_SETTING_NAMES.filter((n) => overrides[n] !== undefined);
    await this.db.transaction(async (tx) => {
      await tx.query(`DELETE FROM deployment_verdict_settings WHERE project_id = $1`, [projectId]);
      if (names.length === 0) return;
      await tx.query(
        `INSERT INTO deployment_verdict_settings (project_id, setting, value, updated_by)
         SELECT $1, u.setting, u.value, $4 FROM unnest($2::text[], $3::float8[]) AS u(setting, value)`,
        [projectId, names, names.map((n) => overrides[n]), userId],
      );
    });
  }

  /**
   * Upserts computed verdicts in one statement (a final verdict is never overwritten) and returns the rows whose
   * value or finality changed, with what they were before, so the caller can announce them.
   */
  async save(tx: Queryable, verdicts: readonly ComputedVerdict[]): Promise<SavedVerdict[]> {
    if (verdicts.length === 0) return [];
    return tx.query(
      `WITH input AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bool[], $5::jsonb[], $6::jsonb[], $7::timestamptz[])
           AS u(deployment_id, project_id, verdict, final, reasons, impact, computed_at)
       ), previous AS (
         SELECT v.deployment_id, v.verdict, v.final FROM deployment_verdicts v JOIN input i USING (deployment_id)
       ), saved AS (
         INSERT INTO deployment_verdicts AS v (${COLUMNS})
         SELECT deployment_id, project_id, verdict, final, reasons, impact, computed_at, computed_at FROM input
         ON CONFLICT (deployment_id) DO UPDATE
           SET verdict = EXCLUDED.verdict, final = EXCLUDED.final, reasons = EXCLUDED.reasons, impact = EXCLUDED.impact,
               computed_at = EXCLUDED.computed_at,
               changed_at = CASE WHEN v.verdict = EXCLUDED.verdict AND v.final = EXCLUDED.final THEN v.changed_at ELSE EXCLUDED.computed_at END
           WHERE NOT v.final
         RETURNING v.*
       )
       SELECT s.*, p.verdict AS previous_verdict, p.final AS previous_final FROM saved s LEFT JOIN previous p USING (deployment_id)
        WHERE p.verdict IS DISTINCT FROM s.verdict OR p.final IS DISTINCT FROM s.final`,
      [
        verdicts.map((v) => v.deployment_id),
        verdicts.map((v) => v.project_id),
        verdicts.map((v) => v.verdict),
        verdicts.map((v) => v.final),
        verdicts.map((v) => JSON.stringify(v.reasons)),
        verdicts.map((v) => JSON.stringify(v.impact)),
        verdicts.map((v) => v.computed_at),
      ],
    );
  }
}
