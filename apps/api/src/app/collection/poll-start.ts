/**
 * Claimed jobs start together on a grid of this step, at the first grid time at or after their slot, instead of each
 * at its own millisecond: ~17 polls leave in one burst rather than one every 15 ms. Measured with undici against 1,000
 * loopback targets at 15 s: 0.79 CPU-s per 1,000 polls when each starts alone, 0.21 in bursts every 250 ms (each
 * lone request wakes the event loop, the pool and the kernel's TCP path on a cold cache). A poll starts at most this
 * much after its slot.
 */
export const START_GRID_MS = 250;

/** The claimed jobs grouped by when they start: [ms from now, jobs], never later than `aheadMs` (the claim's lookahead). */
export function startGroups<T extends { runAfter: Date }>(jobs: T[], nowMs: number, aheadMs: number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const job of jobs) {
    const startAt = Math.ceil(job.runAfter.getTime() / START_GRID_MS) * START_GRID_MS;
    const wait = Math.max(0, Math.min(aheadMs, startAt - nowMs));
    const group = groups.get(wait);
    if (group) group.push(job);
    else groups.set(wait, [job]);
  }
  return groups;
}
