import { occurrences, rruleProblem } from './recurrence';

const starts = (list: { startsAt: Date }[]) => list.map((o) => o.startsAt.toISOString());

describe('maintenance recurrences keep their local time across daylight-saving changes', () => {
  it('weekly Sunday 09:00 Europe/Berlin: 07:00Z in summer time, 08:00Z after the October change', () => {
    const window = {
      rrule: 'FREQ=WEEKLY;BYDAY=SU',
      startsAt: new Date('2026-10-18T07:00:00Z'),
      durationMin: 60,
      timeZone: 'Europe/Berlin',
    };
    const found = occurrences(window, new Date('2026-10-10T00:00:00Z'), new Date('2026-11-05T00:00:00Z'));
    expect(starts(found)).toEqual(['2026-10-18T07:00:00.000Z', '2026-10-25T08:00:00.000Z', '2026-11-01T08:00:00.000Z']);
    expect(found.map((o) => o.endsAt.getTime() - o.startsAt.getTime())).toEqual([3_600_000, 3_600_000, 3_600_000]);
  });

  it('a local time inside the spring-forward gap moves forward by the gap; New York evenings follow its own change', () => {
    const gap = { rrule: 'FREQ=WEEKLY;BYDAY=SU', startsAt: new Date('2027-03-21T01:30:00Z'), durationMin: 60, timeZone: 'Europe/Berlin' };
    // 02:30 local does not exist on 2027-03-28: 03:30 CEST = 01:30Z.
    expect(starts(occurrences(gap, new Date('2027-03-20T00:00:00Z'), new Date('2027-04-05T00:00:00Z')))).toEqual([
      '2027-03-21T01:30:00.000Z',
      '2027-03-28T01:30:00.000Z',
      '2027-04-04T00:30:00.000Z',
    ]);
    const ny = { rrule: 'FREQ=WEEKLY;BYDAY=MO', startsAt: new Date('2026-10-26T21:30:00Z'), durationMin: 90, timeZone: 'America/New_York' };
    expect(starts(occurrences(ny, new Date('2026-10-25T00:00:00Z'), new Date('2026-11-10T00:00:00Z')))).toEqual([
      '2026-10-26T21:30:00.000Z', // 17:30 EDT
      '2026-11-02T22:30:00.000Z', // 17:30 EST
      '2026-11-09T22:30:00.000Z',
    ]);
  });

  it('an occurrence that started before the range but is still running is included; a one-off window is one interval', () => {
    const daily = { rrule: 'FREQ=DAILY', startsAt: new Date('2026-11-01T23:00:00Z'), durationMin: 120, timeZone: 'UTC' };
    expect(starts(occurrences(daily, new Date('2026-11-03T00:30:00Z'), new Date('2026-11-03T02:00:00Z')))).toEqual([
      '2026-11-02T23:00:00.000Z',
    ]);
    const once = { rrule: null, startsAt: new Date('2026-11-03T10:00:00Z'), durationMin: 30, timeZone: 'UTC' };
    expect(starts(occurrences(once, new Date('2026-11-03T00:00:00Z'), new Date('2026-11-04T00:00:00Z')))).toEqual([
      '2026-11-03T10:00:00.000Z',
    ]);
    expect(occurrences(once, new Date('2026-11-03T10:30:00Z'), new Date('2026-11-04T00:00:00Z'))).toEqual([]);
  });

  it('refuses rules it cannot expand safely', () => {
    expect(rruleProblem('FREQ=WEEKLY;BYDAY=SU')).toBeNull();
    expect(rruleProblem('RRULE:FREQ=MONTHLY;BYMONTHDAY=1')).toBeNull();
    expect(rruleProblem('FREQ=HOURLY')).toMatch(/FREQ must be/);
    expect(rruleProblem('FREQ=WEEKLY;BYDAY=XX')).toMatch(/not a valid/);
    expect(rruleProblem('DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY')).toMatch(/DTSTART/);
    expect(rruleProblem('BYDAY=MO')).toMatch(/FREQ/);
  });
});
