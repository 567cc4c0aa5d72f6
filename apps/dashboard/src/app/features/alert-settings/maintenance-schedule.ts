import { DateTime } from 'luxon';
import { RRule } from 'rrule';

/** How a maintenance window repeats, as the form offers it; `custom` takes a raw RRULE. */
export type SchedulePreset = 'once' | 'daily' | 'weekly' | 'custom';

/** iCalendar weekday codes, Monday first (RFC 5545 BYDAY). */
export const WEEKDAYS = [
  { code: 'MO', label: 'Mon' },
  { code: 'TU', label: 'Tue' },
  { code: 'WE', label: 'Wed' },
  { code: 'TH', label: 'Thu' },
  { code: 'FR', label: 'Fri' },
  { code: 'SA', label: 'Sat' },
  { code: 'SU', label: 'Sun' },
] as const;
export type WeekdayCode = (typeof WEEKDAYS)[number]['code'];

/**
 * The RRULE of a preset (null = one-off), or a problem to show. The server validates the rule itself (400
 * `invalid_rrule`); this only assembles the presets and refuses an empty choice.
 */
export function scheduleRrule(
  preset: SchedulePreset,
  days: readonly WeekdayCode[],
  custom: string,
): { rrule: string | null; problem: string | null } {
  switch (preset) {
    case 'once':
      return { rrule: null, problem: null };
    case 'daily':
      return { rrule: 'FREQ=DAILY', problem: null };
    case 'weekly': {
      if (days.length === 0) return { rrule: null, problem: 'Choose at least one day.' };
      const ordered = WEEKDAYS.map((d) => d.code).filter((c) => days.includes(c));
      return { rrule: `FREQ=WEEKLY;BYDAY=${ordered.join(',')}`, problem: null };
    }
    case 'custom': {
      const text = custom.trim().replace(/^RRULE:/i, '');
      return text ? { rrule: text, problem: null } : { rrule: null, problem: 'Enter an RRULE, e.g. FREQ=MONTHLY;BYMONTHDAY=1.' };
    }
  }
}

/** "every week on Sunday" (rrule's own wording); the raw rule when it cannot say it. */
export function describeSchedule(rrule: string | null): string {
  if (!rrule) return 'One-off';
  try {
    return RRule.fromString(rrule).toText();
  } catch {
    return rrule;
  }
}

/** A `datetime-local` value read as wall-clock time in `zone` → ISO instant (UTC), or null when invalid. */
export function zonedInstant(local: string, zone: string): string | null {
  if (!local) return null;
  const dt = DateTime.fromISO(local, { zone });
  return dt.isValid ? dt.toUTC().toISO({ suppressMilliseconds: true }) : null;
}

/** An instant shown in a zone: `Sun 6 Dec 2026, 09:00`. */
export function formatInZone(iso: string, zone: string): string {
  const dt = DateTime.fromISO(iso, { zone });
  return dt.isValid ? dt.toFormat('ccc d LLL yyyy, HH:mm') : iso;
}

/** An occurrence in its zone; the end without its date when it falls on the same day: `Sun 6 Dec 2026, 09:00–10:30`. */
export function formatOccurrence(startIso: string, endIso: string, zone: string): string {
  const start = DateTime.fromISO(startIso, { zone });
  const end = DateTime.fromISO(endIso, { zone });
  if (!start.isValid || !end.isValid) return `${startIso} – ${endIso}`;
  return start.hasSame(end, 'day')
    ? `${formatInZone(startIso, zone)}–${end.toFormat('HH:mm')}`
    : `${formatInZone(startIso, zone)} – ${formatInZone(endIso, zone)}`;
}

/** The browser's IANA zone, and the zones it knows (the server checks the name again). */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function knownZones(): string[] {
  // ES2022 Intl API, missing from the compile-time lib here; every supported browser has it
  const intl = Intl as unknown as { supportedValuesOf?: (key: 'timeZone') => string[] };
  const zones = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
  const here = browserZone();
  return zones.includes(here) ? zones : [here, ...zones];
}

/** `datetime-local` value of an instant in the browser's time, minutes precision. */
export function localInputValue(ms: number): string {
  return DateTime.fromMillis(ms).toFormat("yyyy-LL-dd'T'HH:mm");
}
