import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SILENCE_MAX_DURATION_S } from '@seqpulse/contracts';
import type { SilenceState, SilenceView } from '@seqpulse/contracts';
import { ApiError } from '../../common/api-error';
import { parseInstant } from '../../common/query-params';
import { isoSeconds } from '../../common/time';
import type { Principal } from '../../auth/principal';
import type { RulesProject } from '../alerts.service';
import type { CreateSilenceDto } from './muting.dto';

interface SilenceRow {
  id: string;
  project_id: string;
  env: string | null;
  rule: SilenceView['rule'];
  starts_at: Date;
  ends_at: Date;
  comment: string;
  created_by_email: string;
  created_at: Date;
  ended_at: Date | null;
  ended_by_email: string | null;
}

const COLUMNS = 'id, project_id, env, rule, starts_at, ends_at, comment, created_by_email, created_at, ended_at, ended_by_email';

/** An env matcher must name one of the project's envs (null = all). */
export function checkEnv(env: string | null | undefined, project: RulesProject): string | null {
  if (env === undefined || env === null) return null;
  if (!project.envs.includes(env)) {
    throw ApiError.validation(`Invalid request: env must be null or one of the project's envs (${project.envs.join(', ')}).`, {
      fields: [{ field: 'env', problems: [`env must be null or one of ${project.envs.join(', ')}`] }],
    });
  }
  return env;
}

/**
 * Silences of a project's alerts (docs/alerting.md, "Silences"): matchers on env and rule, a bounded period,
 * who created it and why. The evaluation reads the table directly (set-based); this service only writes and lists.
 */
@Injectable()
export class SilencesService {
  constructor(private readonly db: DataSource) {}

  async list(project: RulesProject, now = new Date()): Promise<SilenceView[]> {
    const rows: SilenceRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM alert_silences WHERE project_id = $1 ORDER BY ends_at > $2 DESC, starts_at DESC, id LIMIT 500`,
      [project.id, now],
    );
    return rows.map((r) => view(r, now));
  }

  async create(project: RulesProject, principal: Principal, dto: CreateSilenceDto, now = new Date()): Promise<SilenceView> {
    const env = checkEnv(dto.env, project);
    const startsAt = parseInstant('starts_at', dto.starts_at);
    const endsAt = parseInstant('ends_at', dto.ends_at);
    if (endsAt <= startsAt || endsAt <= now.getTime()) {
      throw ApiError.validation('Invalid request: ends_at must be after starts_at and in the future.', {
        fields: [{ field: 'ends_at', problems: ['ends_at must be after starts_at and in the future'] }],
      });
    }
    if (endsAt - startsAt > SILENCE_MAX_DURATION_S * 1000) {
      throw new ApiError(400, 'silence_too_long', `A silence lasts at most ${SILENCE_MAX_DURATION_S / 86_400} days.`, {
        fields: [{ field: 'ends_at', problems: [`ends_at must be at most ${SILENCE_MAX_DURATION_S / 86_400} days after starts_at`] }],
      });
    }
    const [row]: SilenceRow[] = await this.db.query(
      `INSERT INTO alert_silences (project_id, env, rule, starts_at, ends_at, comment, created_by, created_by_email)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [project.id, env, dto.rule ?? null, new Date(startsAt), new Date(endsAt), dto.comment, principal.userId, principal.email],
    );
    return view(row, now);
  }

  /**
   * Ends a silence now (one that has not started yet ends before it starts); 404 when it is not the project's. Ending
   * one that already ended changes nothing (the first end is kept: who and when).
   */
  async end(project: RulesProject, principal: Principal, id: string, now = new Date()): Promise<SilenceView> {
    // An UPDATE through TypeORM answers [rows, affected count].
    const [[row]]: [SilenceRow[], number] = await this.db.query(
      `UPDATE alert_silences
          SET ended_at = CASE WHEN ends_at > $3 THEN $3 ELSE ended_at END,
              ended_by = CASE WHEN ends_at > $3 THEN $4 ELSE ended_by END,
              ended_by_email = CASE WHEN ends_at > $3 THEN $5 ELSE ended_by_email END,
              ends_at = greatest(starts_at, least(ends_at, $3))
        WHERE id = $1 AND project_id = $2 RETURNING ${COLUMNS}`,
      [id, project.id, now, principal.userId, principal.email],
    );
    if (!row) throw new ApiError(404, 'not_found', 'Silence not found.');
    return view(row, now);
  }
}

export function silenceState(startsAt: Date, endsAt: Date, now: Date, endedEarly = false): SilenceState {
  if (endsAt.getTime() <= now.getTime()) return endedEarly ? 'ended' : 'expired';
  return startsAt.getTime() > now.getTime() ? 'pending' : 'active';
}

function view(r: SilenceRow, now: Date): SilenceView {
  return {
    id: r.id,
    project_id: r.project_id,
    env: r.env,
    rule: r.rule,
    starts_at: isoSeconds(r.starts_at),
    ends_at: isoSeconds(r.ends_at),
    comment: r.comment,
    created_by: r.created_by_email,
    created_at: isoSeconds(r.created_at),
    state: silenceState(r.starts_at, r.ends_at, now, r.ended_at !== null),
    ended_by: r.ended_at !== null ? r.ended_by_email : null,
  };
}
