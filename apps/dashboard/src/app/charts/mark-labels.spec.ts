import { MARK_LABELS_PER_WINDOW, spacedLabels } from './mark-labels';

const HOUR = 3_600_000;
interface Mark {
  t: number;
  bad: boolean;
}
const at = (m: Mark) => m.t;
const weight = (m: Mark) => (m.bad ? 1 : 0);

describe('spacedLabels', () => {
  const week = { from: 0, to: 7 * 24 * HOUR };
  // two deployments a day (10:00 and 16:00), the one of day 3 at 16:00 failed
  const marks: Mark[] = Array.from({ length: 14 }, (_, i) => ({
    t: Math.floor(i / 2) * 24 * HOUR + (i % 2 ? 16 : 10) * HOUR,
    bad: i === 5,
  }));

  it('keeps at most one label per fifth of the window, the important ones first, then the latest', () => {
    const kept = [...spacedLabels(marks, week, at, weight)].sort((a, b) => a.t - b.t);
    expect(kept.length).toBeLessThanOrEqual(MARK_LABELS_PER_WINDOW);
    expect(kept.length).toBeGreaterThanOrEqual(MARK_LABELS_PER_WINDOW - 1);
    for (let i = 1; i < kept.length; i++) expect(kept[i].t - kept[i - 1].t).toBeGreaterThanOrEqual((week.to - week.from) / 5);
    expect(kept).toContain(marks[5]); // the failed one
    expect(kept).toContain(marks[13]); // the latest
  });

  it('labels every mark when they are far enough apart', () => {
    const day = { from: 0, to: 24 * HOUR };
    expect(spacedLabels([marks[0], marks[1]], day, at, weight).size).toBe(2);
    expect(spacedLabels([], day, at, weight).size).toBe(0);
  });
});
