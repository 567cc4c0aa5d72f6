import { DestroyRef } from '@angular/core';

/**
 * A runner that starts work in a task of its own, after the current one. The stores start a new range's requests
 * through it: started from their effects, the requests' subscriptions ran inside Angular's change detection after
 * the navigation (24–26 ms of thread on a quiet machine, over half of it those subscriptions), making the first
 * long task of a zoom. Only the latest work asked for runs (two view changes in one task load once), and nothing
 * runs once the owner is destroyed.
 */
export function nextTaskRunner(destroyRef: DestroyRef): (work: () => void) => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let destroyed = false;
  destroyRef.onDestroy(() => {
    destroyed = true;
    if (timer !== null) clearTimeout(timer);
  });
  return (work) => {
    if (destroyed) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      work();
    });
  };
}
