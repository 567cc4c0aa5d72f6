import { DateTime, IANAZone } from 'luxon';
import { Frequency, RRule } from 'rrule';

/** One concrete occurrence of a maintenance window. */
export interface Interval {
  startsAt: Date;
  endsAt: Date;
}

export interface WindowSchedule {
  rrule: string | null;
  startsAt: Date;
  durationMin: number;
  timeZone: string;
}

/** Recurrences finer than a day would fill the interval table; a window that long is a silence. */
const ALLOWED_FREQUENCIES = [Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY];
/** Bound on the occurrences one expansion computes per window. */
const MAX_OCCURRENCES = 500;
const DAY_MS = 86_400_000;

export function isTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** Why an RRULE is refused, or null. `DTSTART`/`TZID` are not accepted: the window's `starts_at` and `time_zone` are. */
export function rruleProblem(rrule: string): string | null {
  if (/DTSTART|TZID/i.test(rrule)) return 'rrule must not contain DTSTART or TZID (use starts_at and time_zone)';
  try {
    const options = RRule.parseString(rrule.replace(/^RRULE:/i, ''));
    if (options.freq === undefined) return 'rrule needs FREQ';
    if (!ALLOWED_FREQUENCIES.includes(options.freq)) return 'rrule FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY';
    new RRule(options).all((_, i) => i < 1);
    return null;
  } catch (error) {
    return `rrule is not a valid RFC 5545 recurrence rule (${(error as Error).message})`.slice(0, 200);
  }
}

/**
 * rrule computes in "floating" time (it ignores zones unless given TZID, and its TZID support returns local fields
 * dressed as UTC). So the recurrence runs on the wall-clock fields of `starts_at` in the window's zone, and luxon
 * turns each local occurrence back into an instant: 09:00 Europe/Berlin stays 09:00 local across a daylight-saving
 * change (07:00Z in summer, 08:00Z in winter). A local time that does not exist (the spring-forward gap) moves
 * forward by the gap, as luxon does.
 */
function toFloating(instant: Date, zone: string): Date {
  const l = DateTime.fromJSDate(instant, { zone });
  return new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second));
}

function fromFloating(floating: Date, zone: string): Date {
  return DateTime.fromObject(
    {
      year: floating.getUTCFullYear(),
      month: floating.getUTCMonth() + 1,
      day: floating.getUTCDate(),
      hour: floating.getUTCHours(),
      minute: floating.getUTCMinutes(),
      second: floating.getUTCSeconds(),
    },
    { zone },
  ).toJSDate();
}

/** The occurrences that overlap `[from, to)`, oldest first. */
export function occurrences(window: WindowSchedule, from: Date, to: Date): Interval[] {
  const durationMs = window.durationMin * 60_000;
  const overlapping = (startsAt: Date) => startsAt.getTime() < to.getTime() && startsAt.getTime() + durationMs > from.getTime();
  if (!window.rrule) {
    return overlapping(window.startsAt) ? [{ startsAt: window.startsAt, endsAt: new Date(window.startsAt.getTime() + durationMs) }] : [];
  }
  const options = RRule.parseString(window.rrule.replace(/^RRULE:/i, ''));
  const rule = new RRule({ ...options, dtstart: toFloating(window.startsAt, window.timeZone) });
  // Floating bounds widened by a day either side: any zone offset is within it; the exact filter is on instants.
  const floatingFrom = new Date(toFloating(from, window.timeZone).getTime() - durationMs - DAY_MS);
  const floatingTo = new Date(toFloating(to, window.timeZone).getTime() + DAY_MS);
  const found: Interval[] = [];
  for (const local of rule.between(floatingFrom, floatingTo, true, (_, i) => i < MAX_OCCURRENCES)) {
    const startsAt = fromFloating(local, window.timeZone);
    if (overlapping(startsAt)) found.push({ startsAt, endsAt: new Date(startsAt.getTime() + durationMs) });
  }
  return found;
}
