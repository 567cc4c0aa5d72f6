import { describeSchedule, formatInZone, formatOccurrence, scheduleRrule, zonedInstant } from './maintenance-schedule';

describe('maintenance schedule', () => {
  it('assembles the presets; weekly days in calendar order; a raw RRULE as typed', () => {
    expect(scheduleRrule('once', [], '')).toEqual({ rrule: null, problem: null });
    expect(scheduleRrule('daily', [], '')).toEqual({ rrule: 'FREQ=DAILY', problem: null });
    expect(scheduleRrule('weekly', ['SU', 'MO', 'WE'], '')).toEqual({ rrule: 'FREQ=WEEKLY;BYDAY=MO,WE,SU', problem: null });
    expect(scheduleRrule('weekly', [], '').problem).toBe('Choose at least one day.');
    expect(scheduleRrule('custom', [], ' RRULE:FREQ=MONTHLY;BYMONTHDAY=1 ')).toEqual({ rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', problem: null });
    expect(scheduleRrule('custom', [], ' ').problem).toContain('Enter an RRULE');
  });

  it('reads the start as wall-clock time in the chosen zone, across daylight saving', () => {
    expect(zonedInstant('2026-12-06T09:00', 'Europe/Berlin')).toBe('2026-12-06T08:00:00Z');
    expect(zonedInstant('2026-07-05T09:00', 'Europe/Berlin')).toBe('2026-07-05T07:00:00Z');
    expect(zonedInstant('2026-12-06T09:00', 'America/New_York')).toBe('2026-12-06T14:00:00Z');
    expect(zonedInstant('', 'UTC')).toBeNull();
    expect(zonedInstant('2026-12-06T09:00', 'Mars/Olympus')).toBeNull();
  });

  it('describes a rule in words and shows occurrences in the window’s zone', () => {
    expect(describeSchedule(null)).toBe('One-off');
    expect(describeSchedule('FREQ=WEEKLY;BYDAY=SU')).toBe('every week on Sunday');
    expect(describeSchedule('not a rule')).toBe('not a rule');
    expect(formatInZone('2026-12-06T08:00:00Z', 'Europe/Berlin')).toBe('Sun 6 Dec 2026, 09:00');
    expect(formatOccurrence('2026-12-06T08:00:00Z', '2026-12-06T09:30:00Z', 'Europe/Berlin')).toBe('Sun 6 Dec 2026, 09:00–10:30');
    expect(formatOccurrence('2026-12-06T22:00:00Z', '2026-12-07T01:00:00Z', 'UTC')).toBe('Sun 6 Dec 2026, 22:00 – Mon 7 Dec 2026, 01:00');
  });
});
