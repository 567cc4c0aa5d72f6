import { Injectable } from '@angular/core';

/** A chart update: runs in a task of its own; what it returns, if anything, runs in the next task (its second part). */
export type ChartUpdate = () => (() => void) | void;

/**
 * Applies chart updates one at a time, each in tasks of its own followed by an animation frame: an update merges its
 * option into echarts' model in a task, lays the chart out in the next task, and zrender paints it in the animation
 * frame after, so neither five charts nor one chart's merge, layout and paint share a task; the next update starts
 * in a task after that frame. A newer update for the same key replaces a pending one. Without
 * `requestAnimationFrame` (server, jsdom without it) updates run at once.
 */
@Injectable({ providedIn: 'root' })
export class ChartFrameScheduler {
  private readonly pending = new Map<string, ChartUpdate>();
  private scheduled = false;
  private waiting: (() => void)[] = [];

  schedule(key: string, update: ChartUpdate): void {
    this.pending.set(key, update);
    if (this.scheduled) return;
    if (typeof requestAnimationFrame !== 'function') {
      while (this.pending.size) {
        const second = this.runNext();
        if (typeof second === 'function') second();
      }
      return;
    }
    this.scheduled = true;
    setTimeout(this.step);
  }

  /**
   * Runs `work` once no chart update is pending: at once when none is, else in a task of its own after the frame that
   * painted the last one (a chart's layout is already 5–20 ms of thread time; work added to it would make a long task).
   */
  afterUpdates(work: () => void): void {
    if (this.scheduled) this.waiting.push(work);
    else work();
  }

  /** Drops a pending update (the chart was destroyed or fully redrawn). */
  cancel(key: string): void {
    this.pending.delete(key);
  }

  /** A task: one update; its second part in the next task; then the animation frame that paints it. */
  private readonly step = () => {
    const second = this.runNext();
    if (typeof second !== 'function') return void requestAnimationFrame(this.painted);
    setTimeout(() => {
      second();
      requestAnimationFrame(this.painted);
    });
  };

  /** In the frame that painted the last update: the next one in a task after this frame, not inside it. */
  private readonly painted = () => {
    if (this.pending.size) {
      setTimeout(this.step);
      return;
    }
    this.scheduled = false;
    const waiting = this.waiting;
    this.waiting = [];
    if (waiting.length) setTimeout(() => waiting.forEach((work) => work()));
  };

  private runNext(): (() => void) | void {
    const next = this.pending.entries().next();
    if (next.done) return;
    const [key, update] = next.value;
    this.pending.delete(key);
    return update();
  }
}
