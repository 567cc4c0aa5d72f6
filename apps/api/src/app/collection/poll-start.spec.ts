import { START_GRID_MS, startGroups } from './poll-start';

const job = (name: string, runAfterMs: number) => ({ name, runAfter: new Date(runAfterMs) });

describe('startGroups', () => {
  const now = 1_000_000_010; // 10 ms after a grid time

  it('starts jobs together at the first grid time at or after their slot', () => {
    const groups = startGroups(
      [job('a', now + 5), job('b', now + 200), job('c', now + 240), job('d', now + 241), job('e', now + 480)],
      now,
      600,
    );
    expect([...groups].map(([wait, jobs]) => [wait, jobs.map((j) => j.name)])).toEqual([
      [START_GRID_MS - 10, ['a', 'b', 'c']],
      [2 * START_GRID_MS - 10, ['d', 'e']],
    ]);
  });

  it('starts due and overdue jobs at once, and none later than the lookahead', () => {
    const groups = startGroups([job('late', now - 3000), job('now', now - 10), job('far', now + 5000)], now, 600);
    expect(groups.get(0)?.map((j) => j.name)).toEqual(['late', 'now']);
    expect(groups.get(600)?.map((j) => j.name)).toEqual(['far']);
  });

  it('never starts a job before its slot', () => {
    const jobs = Array.from({ length: 50 }, (_, i) => job(String(i), now + i * 37));
    for (const [wait, group] of startGroups(jobs, now, 10_000))
      for (const j of group) expect(now + wait).toBeGreaterThanOrEqual(j.runAfter.getTime());
  });
});
