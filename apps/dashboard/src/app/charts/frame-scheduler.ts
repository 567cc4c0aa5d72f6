import { Injectable } from '@angular/core';

/**
 * Applies chart updates one at a time, each in a task of its own followed by an animation frame: an update merges
 * its option with `lazyUpdate` (echarts' model merge, in the task) and echarts lays the chart out and paints it in the
 * next animation frame (zrender's own frame callback), so neither five charts nor one chart's merge and paint share a
 * task; the next update starts in a task after that frame. A newer update for the same key replaces a pending one.
 * Without `requestAnimationFrame` (server, jsdom without it) updates run at once.
 */
@Injectable({ providedIn: 'root' })
export class ChartFrameScheduler {
  private readonly pending = new Map<string, () => void>();
  private scheduled = false;
  private waiting: (() => void)[] = [];

  schedule(key: string, update: () => void): void {
    this.pending.set(key, update);
    if (this.scheduled) return;
    if (typeof requestAnimationFrame !== 'function') {
      while (this.pending.size) this.runNext();
      return;
    }
    this.scheduled = true;
    setTimeout(this.step);
  }

  /**
   * Runs `work` once no chart update is pending: at once when none is, else in a task of its own after the frame that
   * painted the last one (a chart's layout and paint are already 10–30 ms of thread time; work added to them would make
   * a long task).
   */
  afterUpdates(work: () => void): void {
    if (this.scheduled) this.waiting.push(work);
    else work();
  }

  /** Drops a pending update (the chart was destroyed or fully redrawn). */
  cancel(key: string): void {
    this.pending.delete(key);
  }

  /** A task: one update, then the animation frame that paints it (echarts' frame callback is registered by then too). */
  private readonly step = () => {
    this.runNext();
    requestAnimationFrame(this.painted);
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

  private runNext(): void {
    const next = this.pending.entries().next();
    if (next.done) return;
    const [key, update] = next.value;
    this.pending.delete(key);
    update();
  }
}
