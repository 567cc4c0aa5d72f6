import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MaintenanceWindowView } from '@seqpulse/contracts';
import { ApiError } from '../../common/api-error';
import { parseInstant } from '../../common/query-params';
import { isoSeconds } from '../../common/time';
import type { Principal } from '../../auth/principal';
import { TaskScheduler } from '../../scheduler/task-scheduler';
import type { Queryable } from '../../notifications/outbox-rows';
import type { RulesProject } from '../alerts.service';
import type { CreateMaintenanceWindowDto } from './muting.dto';
import { checkEnv } from './silences.service';
import { isTimeZone, occurrences, rruleProblem, WindowSchedule } from './recurrence';

/** How far ahead the expansion writes concrete intervals; the task runs far more often than this. */
export const EXPANSION_HORIZON_MS = 48 * 3_600_000;
const EXPANSION_EVERY_MS = 10 * 60_000;
/** Past intervals are kept a day (the history keeps `silenced` on the alerts themselves). */
const KEEP_PAST_MS = 86_400_000;

interface WindowRow {
  id: string;
  project_id: string;
  env: string | null;
  rrule: string | null;
  starts_at: Date;
  duration_min: number;
  time_zone: string;
  comment: string;
  created_by_email: string;
  created_at: Date;
}

const COLUMNS = 'id, project_id, env, rrule, starts_at, duration_min, time_zone, comment, created_by_email, created_at';

const schedule = (r: WindowRow): WindowSchedule => ({
  rrule: r.rrule,
  startsAt: new Date(r.starts_at),
  durationMin: r.duration_min,
  timeZone: r.time_zone,
});

/**
 * Maintenance windows (docs/alerting.md, "Maintenance windows"): one-off or recurring (RRULE in a time zone). The
 * `maintenance-expansion` task turns them into concrete intervals for the next 48 hours, so the evaluation
 * statement joins a table of intervals instead of computing recurrences per env.
 */
@Injectable()
export class MaintenanceService implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly tasks: TaskScheduler,
  ) {}

  onModuleInit(): void {
    this.tasks.register({
      name: 'maintenance-expansion',
      everyMs: EXPANSION_EVERY_MS,
      runsIn: 'worker',
      runAtStart: true,
      run: () => this.expandAll(new Date()),
    });
  }

  /** Writes every window's intervals overlapping `[now, now + horizon)` (idempotent) and forgets old ones. */
  async expandAll(now: Date, horizonMs = EXPANSION_HORIZON_MS): Promise<number> {
    const windows: WindowRow[] = await this.db.query(`SELECT ${COLUMNS} FROM maintenance_windows`);
    const written = await this.writeIntervals(this.db, windows, now, horizonMs);
    await this.db.query(`DELETE FROM maintenance_intervals WHERE ends_at < $1`, [new Date(now.getTime() - KEEP_PAST_MS)]);
    return written;
  }

  /** The project's windows; with `range`, each with every occurrence overlapping it (the charts shade past ones too). */
  async list(project: RulesProject, range?: { from: number; to: number }, now = new Date()): Promise<MaintenanceWindowView[]> {
    const rows: WindowRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM maintenance_windows WHERE project_id = $1 ORDER BY created_at DESC, id LIMIT 500`,
      [project.id],
    );
    return rows.map((r) => {
      const v = view(r, now);
      if (!range) return v;
      const inRange = occurrences(schedule(r), new Date(range.from), new Date(range.to));
      return { ...v, occurrences: inRange.map((o) => ({ starts_at: isoSeconds(o.startsAt), ends_at: isoSeconds(o.endsAt) })) };
    });
  }

  async create(
    project: RulesProject,
    principal: Principal,
    dto: CreateMaintenanceWindowDto,
    now = new Date(),
  ): Promise<MaintenanceWindowView> {
    const env = checkEnv(dto.env, project);
    const startsAt = new Date(parseInstant('starts_at', dto.starts_at));
    if (!isTimeZone(dto.time_zone)) {
      throw ApiError.validation('Invalid request: time_zone must be an IANA time zone such as Europe/Berlin.', {
        fields: [{ field: 'time_zone', problems: ['time_zone must be an IANA time zone'] }],
      });
    }
    const rrule = dto.rrule?.trim() || null;
    const problem = rrule === null ? null : rruleProblem(rrule);
    if (problem)
      throw new ApiError(400, 'invalid_rrule', `Invalid request: ${problem}.`, { fields: [{ field: 'rrule', problems: [problem] }] });
    return this.db.transaction(async (tx) => {
      const [row]: WindowRow[] = await tx.query(
        `INSERT INTO maintenance_windows (project_id, env, rrule, starts_at, duration_min, time_zone, comment, created_by, created_by_email)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
        [project.id, env, rrule, startsAt, dto.duration_min, dto.time_zone, dto.comment, principal.userId, principal.email],
      );
      // Effective at the next evaluation, not at the next expansion.
      await this.writeIntervals(tx, [row], now, EXPANSION_HORIZON_MS);
      return view(row, now);
    });
  }

  /** Deletes the window and its intervals: alerts it covered are no longer silenced from the next evaluation. */
  async remove(project: RulesProject, id: string): Promise<void> {
    // A DELETE through TypeORM answers [rows, affected count].
    const [, deleted]: [unknown[], number] = await this.db.query(`DELETE FROM maintenance_windows WHERE id = $1 AND project_id = $2`, [
      id,
      project.id,
    ]);
    if (deleted === 0) throw new ApiError(404, 'not_found', 'Maintenance window not found.');
  }

  private async writeIntervals(tx: Queryable, windows: WindowRow[], now: Date, horizonMs: number): Promise<number> {
    const until = new Date(now.getTime() + horizonMs);
    const rows = windows.flatMap((w) => occurrences(schedule(w), now, until).map((o) => ({ w, o })));
    if (rows.length === 0) return 0;
    await tx.query(
      `INSERT INTO maintenance_intervals (window_id, project_id, env, starts_at, ends_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[])
       ON CONFLICT (window_id, starts_at) DO NOTHING`,
      [
        rows.map((r) => r.w.id),
        rows.map((r) => r.w.project_id),
        rows.map((r) => r.w.env),
        rows.map((r) => r.o.startsAt),
        rows.map((r) => r.o.endsAt),
      ],
    );
    return rows.length;
  }
}

function view(r: WindowRow, now: Date): MaintenanceWindowView {
  const next = occurrences(schedule(r), now, new Date(now.getTime() + 400 * 86_400_000)).slice(0, 5);
  return {
    id: r.id,
    project_id: r.project_id,
    env: r.env,
    rrule: r.rrule,
    starts_at: isoSeconds(new Date(r.starts_at)),
    duration_min: r.duration_min,
    time_zone: r.time_zone,
    comment: r.comment,
    created_by: r.created_by_email,
    created_at: isoSeconds(new Date(r.created_at)),
    next_occurrences: next.map((o) => ({ starts_at: isoSeconds(o.startsAt), ends_at: isoSeconds(o.endsAt) })),
  };
}
