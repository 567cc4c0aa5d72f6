import { Injectable } from '@angular/core';

/**
 * Applies chart updates one per animation frame: each frame repaints one small chart instead of five at
 * once, so a live point never makes one long task. A newer update for the same key replaces a pending one.
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
    const frame = () => {
      this.runNext();
      if (this.pending.size) {
        requestAnimationFrame(frame);
        return;
      }
      this.scheduled = false;
      const waiting = this.waiting;
      this.waiting = [];
      if (waiting.length) setTimeout(() => waiting.forEach((work) => work()));
    };
    requestAnimationFrame(frame);
  }

  /**
   * Runs `work` once no chart update is pending: at once when none is, else in a task of its own after the frame of
   * the last one (a chart update is already 10–30 ms of thread time; work added to it would make a long task).
   */
  afterUpdates(work: () => void): void {
    if (this.scheduled) this.waiting.push(work);
    else work();
  }

  /** Drops a pending update (the chart was destroyed or fully redrawn). */
  cancel(key: string): void {
    this.pending.delete(key);
  }

  private runNext(): void {
    const next = this.pending.entries().next();
    if (next.done) return;
    const [key, update] = next.value;
    this.pending.delete(key);
    update();
  }
}
