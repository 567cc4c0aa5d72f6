import { LiveSeries } from './live-series';

const S = 15_000;

describe('LiveSeries', () => {
  it('appends a sample in a new bucket aligned to the step', () => {
    const s = new LiveSeries([[0, 1]], S, 'mean');
    expect(s.add(15_500, 2)).toBe(true);
    expect(s.points).toEqual([
      [0, 1],
      [15_000, 2],
    ]);
  });

  it('fills skipped buckets with null so an outage is a gap', () => {
    const s = new LiveSeries([[0, 1]], S, 'mean');
    s.add(60_000, 5);
    expect(s.points).toEqual([
      [0, 1],
      [15_000, null],
      [30_000, null],
      [45_000, null],
      [60_000, 5],
    ]);
  });

  it('aggregates inside a coarser bucket: mean, or max for latency', () => {
    const mean = new LiveSeries([], 60_000, 'mean');
    mean.add(60_000, 10);
    mean.add(75_000, 20);
    mean.add(90_000, 30);
    expect(mean.points).toEqual([[60_000, 20]]);
    const max = new LiveSeries([[60_000, 100]], 60_000, 'max');
    max.add(70_000, 300);
    max.add(80_000, 200);
    expect(max.points).toEqual([[60_000, 300]]);
  });

  it('fills an empty server bucket instead of averaging with null', () => {
    const s = new LiveSeries([[0, null]], 60_000, 'mean');
    s.add(10_000, 4);
    expect(s.points).toEqual([[0, 4]]);
  });

  it('ignores samples older than the series', () => {
    const s = new LiveSeries([[30_000, 1]], S, 'mean');
    expect(s.add(10_000, 9)).toBe(false);
    expect(s.points).toEqual([[30_000, 1]]);
  });

  it('trims points before the bucket that contains the window start', () => {
    const s = new LiveSeries(
      [
        [0, 1],
        [15_000, 2],
        [30_000, 3],
      ],
      S,
      'mean',
    );
    s.trim(20_000);
    expect(s.points).toEqual([
      [15_000, 2],
      [30_000, 3],
    ]);
    expect(s.lastSampleAt()).toBe(30_000);
    expect(new LiveSeries([[0, null]], S, 'mean').lastSampleAt()).toBeNull();
  });
});
