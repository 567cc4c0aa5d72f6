// The simulated fleet's model (bench/lib/dual-fleet.mjs serves it; bench/vs-prometheus.bench.mjs back-fills a past
// day of it into both systems): target i's five gauges in a 15 s slot, at the precision exporters of these figures
// print, with a daily pattern and deterministic noise.
export const SLOT_MS = 15_000;

/** A cheap deterministic hash of (target, slot, metric) in [0, 1). */
function noise(i, slot, k) {
  let h = (i * 374761393 + slot * 668265263 + k * 2147483647) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** The values of target `i` in the slot containing `atMs`; `mode` 'error' puts error_rate at 5 %. */
export function fleetValues(i, atMs, mode = 'normal') {
  const slot = Math.floor(atMs / SLOT_MS);
  const daily = Math.sin((2 * Math.PI * (slot % 5760)) / 5760 + i);
  const v = {
    requests_per_sec: Math.round((40 + 10 * daily + 4 * noise(i, slot, 1)) * 100) / 100,
    latency_p95: Math.round((120 + 20 * daily + 30 * noise(i, slot, 2)) * 10) / 10,
    error_rate: Math.round((0.002 + 0.002 * noise(i, slot, 3)) * 10_000) / 10_000,
    cpu_usage: Math.round((0.35 + 0.1 * daily + 0.05 * noise(i, slot, 4)) * 1000) / 1000,
    memory_usage: Math.round((0.5 + 0.02 * noise(i, slot, 5)) * 1000) / 1000,
  };
  if (mode === 'error') v.error_rate = 0.05;
  return v;
}
