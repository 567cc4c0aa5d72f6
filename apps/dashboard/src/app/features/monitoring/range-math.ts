import { TimeWindow } from '../../charts/chart-options';

/** The shortest window a zoom may select: below it a drag is a click. */
export const MIN_ZOOM_MS = 60_000;

/** Keeps a window in the past: a window ending after `now` is moved back, its length unchanged. */
function notAfter(win: TimeWindow, now: number): TimeWindow {
  return win.to > now ? { from: win.from - (win.to - now), to: now } : win;
}

/** A dragged selection (either direction) as a window of at least `MIN_ZOOM_MS`, around the selection's centre. */
export function zoomTo(a: number, b: number): TimeWindow {
  const from = Math.min(a, b);
  const to = Math.max(a, b);
  if (to - from >= MIN_ZOOM_MS) return { from: Math.round(from), to: Math.round(to) };
  const centre = (from + to) / 2;
  return { from: Math.round(centre - MIN_ZOOM_MS / 2), to: Math.round(centre + MIN_ZOOM_MS / 2) };
}

/** Zoom out: twice the range around the same centre (moved back so it does not end in the future). */
export function zoomOut(win: TimeWindow, now: number): TimeWindow {
  const half = win.to - win.from;
  const centre = (win.from + win.to) / 2;
  return notAfter({ from: Math.round(centre - half), to: Math.round(centre + half) }, now);
}

/** Shift by half the range, earlier (-1) or later (+1); never past `now`. */
export function shift(win: TimeWindow, direction: -1 | 1, now: number): TimeWindow {
  const by = ((win.to - win.from) / 2) * direction;
  return notAfter({ from: Math.round(win.from + by), to: Math.round(win.to + by) }, now);
}

/**
 * The ranges a user went through, for back/forward. `visit` records a new range (dropping the forward ones, as
 * a browser does); `back`/`forward` move through them and return the range to show.
 */
export class RangeHistory<T> {
  private readonly entries: T[] = [];
  private index = -1;

  constructor(
    private readonly same: (a: T, b: T) => boolean,
    private readonly limit = 50,
  ) {}

  get canBack(): boolean {
    return this.index > 0;
  }

  get canForward(): boolean {
    return this.index < this.entries.length - 1;
  }

  /** Records `range` unless it is the current one (a back/forward lands on the current entry). */
  visit(range: T): void {
    if (this.index >= 0 && this.same(this.entries[this.index], range)) return;
    this.entries.splice(this.index + 1);
    this.entries.push(range);
    if (this.entries.length > this.limit) this.entries.shift();
    this.index = this.entries.length - 1;
  }

  back(): T | null {
    if (!this.canBack) return null;
    return this.entries[--this.index];
  }

  forward(): T | null {
    if (!this.canForward) return null;
    return this.entries[++this.index];
  }
}
