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
      if (this.pending.size) requestAnimationFrame(frame);
      else this.scheduled = false;
    };
    requestAnimationFrame(frame);
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
