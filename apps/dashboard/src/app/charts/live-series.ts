import { StepAggregation } from '@seqpulse/contracts';
import { ChartPoint } from './chart-options';

/** Never fill more than this many empty buckets in one go (a long outage at a fine step). */
const MAX_GAP_FILL = 2000;

/**
 * The points of one chart in live mode. A sample lands in the bucket that contains it
 * (aligned to multiples of the step since the epoch, like the API), aggregated like the
 * API does (mean, or max for latency); skipped buckets become `null` so an outage shows
 * as a gap; points older than the window are dropped so the window slides.
 */
export class LiveSeries {
  private readonly acc = new Map<number, { sum: number; count: number; max: number }>();

  constructor(
    readonly points: ChartPoint[],
    private readonly stepMs: number,
    private readonly aggregation: StepAggregation,
  ) {}

  bucketOf(t: number): number {
    return Math.floor(t / this.stepMs) * this.stepMs;
  }

  /** Adds one displayed value at epoch ms `t`; returns false when it is older than the series. */
  add(t: number, value: number): boolean {
    const bucket = this.bucketOf(t);
    const last = this.points[this.points.length - 1];
    if (!last || bucket > last[0]) {
      if (last) {
        const missing = Math.round((bucket - last[0]) / this.stepMs) - 1;
        const fill = Math.min(missing, MAX_GAP_FILL);
        for (let i = fill; i >= 1; i--) this.points.push([bucket - i * this.stepMs, null]);
      }
      this.points.push([bucket, value]);
      this.acc.set(bucket, { sum: value, count: 1, max: value });
      return true;
    }
    for (let i = this.points.length - 1; i >= 0; i--) {
      const point = this.points[i];
      if (point[0] === bucket) {
        const a =
          this.acc.get(bucket) ??
          (point[1] === null ? { sum: 0, count: 0, max: Number.NEGATIVE_INFINITY } : { sum: point[1], count: 1, max: point[1] });
        a.sum += value;
        a.count += 1;
        a.max = Math.max(a.max, value);
        this.acc.set(bucket, a);
        point[1] = this.aggregation === 'max' ? a.max : a.sum / a.count;
        return true;
      }
      if (point[0] < bucket) return false; // a hole in the server's buckets: leave it
    }
    return false;
  }

  /** Drops the points before the bucket that contains `from`. */
  trim(from: number): void {
    const first = this.bucketOf(from);
    let drop = 0;
    while (drop < this.points.length && this.points[drop][0] < first) drop++;
    if (drop > 0) {
      for (const [t] of this.points.slice(0, drop)) this.acc.delete(t);
      this.points.splice(0, drop);
    }
  }

  /** Epoch ms of the newest non-null point, if any. */
  lastSampleAt(): number | null {
    for (let i = this.points.length - 1; i >= 0; i--) {
      if (this.points[i][1] !== null) return this.points[i][0];
    }
    return null;
  }
}
