import { ChartPoint, TimeWindow } from './chart-options';

/** Legend statistics of one series over a window (values as drawn; `null` when the window has no value). */
export interface SeriesStats {
  last: number | null;
  min: number | null;
  mean: number | null;
  max: number | null;
  p95: number | null;
  /** Buckets with a value. */
  count: number;
  /** Buckets without a sample in the window (gaps), never counted as 0. */
  empty: number;
}

/** The nearest-rank percentile of sorted values (the value at rank ⌈p·n⌉). */
export function nearestRank(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** last/min/mean/max/p95 of the buckets inside the window, nulls excluded and counted apart. */
export function seriesStats(points: readonly ChartPoint[], window: TimeWindow): SeriesStats {
  const values: number[] = [];
  let empty = 0;
  let last: number | null = null;
  let sum = 0;
  for (const [t, v] of points) {
    if (t < window.from - 1 || t > window.to) continue;
    if (v === null) {
      empty++;
      continue;
    }
    values.push(v);
    sum += v;
    last = v;
  }
  if (values.length === 0) return { last: null, min: null, mean: null, max: null, p95: null, count: 0, empty };
  const sorted = values.slice().sort((a, b) => a - b);
  return {
    last,
    min: sorted[0],
    mean: sum / values.length,
    max: sorted[sorted.length - 1],
    p95: nearestRank(sorted, 0.95),
    count: values.length,
    empty,
  };
}
