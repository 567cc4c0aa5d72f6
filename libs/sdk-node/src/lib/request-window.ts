import { LogCollapsingLowestDenseDDSketch } from '@datadog/sketches-js';

/** DDSketch relative accuracy: any quantile it returns is within 1 % of the true value at that rank. */
export const LATENCY_RELATIVE_ACCURACY = 0.01;
/**
 * Bins per sketch. At 1 % accuracy 2,048 bins cover a ratio of about 1e17 between the smallest and largest
 * latency, so nothing realistic collapses; the cap is what bounds memory whatever the traffic.
 */
const SKETCH_BIN_LIMIT = 2048;
/** The window is kept as this many slices; it slides by one slice (1 s for the default 60 s window). */
export const WINDOW_SLICES = 60;

export interface WindowStats {
  requests: number;
  errors: number;
  /** Seconds of traffic the counts cover: the window, or less right after start. */
  coveredSeconds: number;
  requestsPerSec: number;
  /** Milliseconds; 0 when the window holds no request. */
  latencyP95: number;
  /** errors / requests; 0 when the window holds no request. */
  errorRate: number;
}

type Sketch = LogCollapsingLowestDenseDDSketch;

/**
 * Request statistics over a sliding window, for one process. Recording is O(1) and allocation-free
 * except for one sketch per slice per window; reading merges at most WINDOW_SLICES sketches.
 * Times come from a monotonic millisecond clock (performance.now by default) so wall-clock jumps
 * neither drop nor double-count traffic.
 */
export class RequestWindow {
  private readonly sliceMs: number;
  private readonly sliceIndex = new Float64Array(WINDOW_SLICES).fill(-1);
  private readonly counts = new Float64Array(WINDOW_SLICES);
  private readonly errors = new Float64Array(WINDOW_SLICES);
  private readonly sketches: (Sketch | undefined)[] = new Array(WINDOW_SLICES).fill(undefined);
  private readonly startedAtMs: number;

  constructor(
    readonly windowMs: number,
    private readonly now: () => number,
  ) {
    if (!(windowMs >= 1000)) throw new RangeError('The metrics window must be at least 1 second');
    this.sliceMs = windowMs / WINDOW_SLICES;
    this.startedAtMs = now();
  }

  /** One completed request: its duration in milliseconds and whether it counts as an error. */
  record(durationMs: number, isError: boolean, atMs: number = this.now()): void {
    const index = Math.floor(atMs / this.sliceMs);
    const slot = index % WINDOW_SLICES;
    let sketch = this.sketches[slot];
    if (this.sliceIndex[slot] !== index) {
      this.sliceIndex[slot] = index;
      this.counts[slot] = 0;
      this.errors[slot] = 0;
      sketch = this.sketches[slot] = newSketch();
    }
    this.counts[slot]++;
    if (isError) this.errors[slot]++;
    (sketch as Sketch).accept(durationMs > 0 ? durationMs : 0);
  }

  stats(atMs: number = this.now()): WindowStats {
    const current = Math.floor(atMs / this.sliceMs);
    const merged = newSketch();
    let requests = 0;
    let errors = 0;
    for (let slot = 0; slot < WINDOW_SLICES; slot++) {
      const index = this.sliceIndex[slot];
      if (index < 0 || index > current || index <= current - WINDOW_SLICES) continue;
      requests += this.counts[slot];
      errors += this.errors[slot];
      merged.merge(this.sketches[slot] as Sketch);
    }
    // The oldest slice counts whole and the current one up to now: that span, or less right after start.
    const spanMs = (WINDOW_SLICES - 1) * this.sliceMs + (atMs - current * this.sliceMs);
    const coveredMs = Math.max(1, Math.min(spanMs, atMs - this.startedAtMs));
    const coveredSeconds = coveredMs / 1000;
    return {
      requests,
      errors,
      coveredSeconds,
      requestsPerSec: requests / coveredSeconds,
      latencyP95: requests > 0 ? Math.max(0, merged.getValueAtQuantile(0.95)) : 0,
      errorRate: requests > 0 ? errors / requests : 0,
    };
  }
}

function newSketch(): Sketch {
  return new LogCollapsingLowestDenseDDSketch({ relativeAccuracy: LATENCY_RELATIVE_ACCURACY, binLimit: SKETCH_BIN_LIMIT });
}
