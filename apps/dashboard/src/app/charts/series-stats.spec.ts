import { nearestRank, seriesStats } from './series-stats';

describe('legend statistics', () => {
  const win = { from: 0, to: 100_000 };

  it('excludes nulls from every figure and counts them as empty buckets', () => {
    const stats = seriesStats(
      [
        [0, 10],
        [15_000, null],
        [30_000, 30],
        [45_000, null],
        [60_000, 20],
      ],
      win,
    );
    expect(stats).toEqual({ last: 20, min: 10, mean: 20, max: 30, p95: 30, count: 3, empty: 2 });
  });

  it('uses only the buckets inside the window', () => {
    const stats = seriesStats(
      [
        [-15_000, 1000],
        [0, 1],
        [90_000, 3],
        [120_000, 1000],
      ],
      win,
    );
    expect(stats).toMatchObject({ min: 1, max: 3, mean: 2, last: 3, count: 2, empty: 0 });
  });

  it('gives nulls, never zeros, for a window without values', () => {
    expect(seriesStats([[0, null]], win)).toEqual({ last: null, min: null, mean: null, max: null, p95: null, count: 0, empty: 1 });
  });

  it('p95 is the nearest-rank percentile', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(nearestRank(hundred, 0.95)).toBe(95);
    expect(nearestRank([5], 0.95)).toBe(5);
    expect(nearestRank([1, 2], 0.95)).toBe(2);
    expect(nearestRank([], 0.95)).toBeNull();
  });
});
