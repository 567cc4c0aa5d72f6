import { DestroyRef, effect, inject, Signal, signal, untracked } from '@angular/core';

/**
 * How many items of a long list to draw: `chunk` at first, then `chunk` more per animation frame until all are, so
 * no single task creates hundreds of rows (an overview row holds five sparklines); the first screen is drawn first.
 * The count only grows (a refresh of the list keeps the rows drawn). Without `requestAnimationFrame` (unit tests,
 * server rendering) everything is drawn at once. Call in an injection context.
 */
export function progressiveCount(total: Signal<number>, chunk: number): Signal<number> {
  const hasFrames = typeof requestAnimationFrame === 'function';
  const shown = signal(hasFrames ? chunk : Number.POSITIVE_INFINITY);
  let frame: number | null = null;
  const grow = () => {
    frame = null;
    shown.update((n) => n + chunk);
    if (shown() < total()) frame = requestAnimationFrame(grow);
  };
  effect(() => {
    const n = total();
    untracked(() => {
      if (hasFrames && frame === null && shown() < n) frame = requestAnimationFrame(grow);
    });
  });
  inject(DestroyRef).onDestroy(() => {
    if (frame !== null) cancelAnimationFrame(frame);
  });
  return shown.asReadonly();
}
