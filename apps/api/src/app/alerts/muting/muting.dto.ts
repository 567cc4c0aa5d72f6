import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ALERT_RULES, ENV_NAME_PATTERN, MAINTENANCE_MAX_DURATION_MIN, SILENCE_MAX_DURATION_S, SILENCE_STATES } from '@seqpulse/contracts';
import type { AlertRuleName } from '@seqpulse/contracts';
import { instant, invalidParam, parseInstant, QueryParam, QueryParams } from '../../common/query-params';

const COMMENT_MAX = 500;

/** `?project_id` of the silences and maintenance routes (the gate checks it). */
export class MutingQueryDto extends QueryParams {
  @ApiProperty({ format: 'uuid' })
  @Allow()
  project_id!: string;
}

/** The maintenance list may also give every occurrence of a range (`from` and `to` together), for the charts. */
export class MaintenanceListQueryDto extends MutingQueryDto {
  @ApiPropertyOptional({ description: 'ISO-8601 or Unix seconds; with `to`: list `occurrences` overlapping the range' })
  @QueryParam(instant)
  from?: string;

  @ApiPropertyOptional({ description: 'ISO-8601 or Unix seconds; with `from`' })
  @QueryParam(instant)
  to?: string;
}

class Matchers {
  @ApiPropertyOptional({ type: String, nullable: true, description: "One of the project's envs; absent/null = every env." })
  @IsOptional()
  @IsString()
  @Matches(ENV_NAME_PATTERN, { message: 'env must match [a-z0-9-]{1,32}' })
  env?: string | null;
}

export class CreateSilenceDto extends Matchers {
  @ApiPropertyOptional({ enum: ALERT_RULES, nullable: true, description: 'Absent/null = every rule.' })
  @IsOptional()
  @IsIn(ALERT_RULES)
  rule?: AlertRuleName | null;

  @ApiProperty({ example: '2026-11-28T10:00:00Z' })
  @IsString()
  starts_at!: string;

  @ApiProperty({
    example: '2026-11-28T12:00:00Z',
    description: `After starts_at and now; at most ${SILENCE_MAX_DURATION_S / 86_400} days after starts_at.`,
  })
  @IsString()
  ends_at!: string;

  @ApiProperty({ maxLength: COMMENT_MAX })
  @IsString()
  @MinLength(1)
  @MaxLength(COMMENT_MAX)
  comment!: string;
}

export class SilenceDto {
  @ApiProperty() id!: string;
  @ApiProperty() project_id!: string;
  @ApiProperty({ type: String, nullable: true }) env!: string | null;
  @ApiProperty({ enum: ALERT_RULES, nullable: true }) rule!: string | null;
  @ApiProperty() starts_at!: string;
  @ApiProperty() ends_at!: string;
  @ApiProperty() comment!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Email of the creator; null once that account is deleted.' }) created_by!:
    | string
    | null;
  @ApiProperty() created_at!: string;
  @ApiProperty({ enum: SILENCE_STATES, description: '`ended`: ended early (End now); `expired`: ran until `ends_at`.' }) state!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Who ended it early (email at that moment); null otherwise.' }) ended_by!:
    | string
    | null;
}

export class CreateMaintenanceWindowDto extends Matchers {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'FREQ=WEEKLY;BYDAY=SU',
    description: 'iCalendar RRULE (DAILY, WEEKLY, MONTHLY or YEARLY; no DTSTART/TZID). Absent/null = one-off.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  rrule?: string | null;

  @ApiProperty({ example: '2026-11-29T08:00:00Z', description: 'The first occurrence; later ones keep its local time in time_zone.' })
  @IsString()
  starts_at!: string;

  @ApiProperty({ minimum: 1, maximum: MAINTENANCE_MAX_DURATION_MIN })
  @IsInt()
  @Min(1)
  @Max(MAINTENANCE_MAX_DURATION_MIN)
  duration_min!: number;

  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone.' })
  @IsString()
  @MaxLength(64)
  time_zone!: string;

  @ApiProperty({ maxLength: COMMENT_MAX })
  @IsString()
  @MinLength(1)
  @MaxLength(COMMENT_MAX)
  comment!: string;
}

class OccurrenceDto {
  @ApiProperty() starts_at!: string;
  @ApiProperty() ends_at!: string;
}

export class MaintenanceWindowDto {
  @ApiProperty() id!: string;
  @ApiProperty() project_id!: string;
  @ApiProperty({ type: String, nullable: true }) env!: string | null;
  @ApiProperty({ type: String, nullable: true }) rrule!: string | null;
  @ApiProperty() starts_at!: string;
  @ApiProperty() duration_min!: number;
  @ApiProperty() time_zone!: string;
  @ApiProperty() comment!: string;
  @ApiProperty({ type: String, nullable: true }) created_by!: string | null;
  @ApiProperty() created_at!: string;
  @ApiProperty({ type: [OccurrenceDto], description: 'The current or next occurrences (at most 5).' }) next_occurrences!: OccurrenceDto[];
  @ApiPropertyOptional({ type: [OccurrenceDto], description: 'With `?from&to`: every occurrence overlapping the range (at most 500).' })
  occurrences?: OccurrenceDto[];
}

/** Longest range whose occurrences one request lists: the dashboard's longest preset with room (400 days). */
const OCCURRENCE_RANGE_MAX_MS = 400 * 86_400_000;

/** `from` and `to` together, in order, at most 400 days apart; neither = no range. */
export function resolveOccurrenceRange(query: MaintenanceListQueryDto): { from: number; to: number } | undefined {
  if (query.from === undefined && query.to === undefined) return undefined;
  if (query.from === undefined || query.to === undefined)
    throw invalidParam(query.from === undefined ? 'from' : 'to', 'must be given with the other');
  const from = parseInstant('from', query.from);
  const to = parseInstant('to', query.to);
  if (from >= to) throw invalidParam('from', 'must be before to');
  if (to - from > OCCURRENCE_RANGE_MAX_MS) throw invalidParam('to', 'must be at most 400 days after from');
  return { from, to };
}
