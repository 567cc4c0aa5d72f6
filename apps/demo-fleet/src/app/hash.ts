/**
 * Tiny deterministic hashing and noise. The fleet must give the same values for the same
 * (target, time) in every process, so nothing here uses Math.random().
 */

/** FNV-1a, 32 bits: a stable seed per target name. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** MurmurHash3 finaliser: spreads every input bit over the whole 32-bit output. */
function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1) from (seed, channel, index); channels give independent streams per metric. */
export function hashUnit(seed: number, channel: number, index = 0): number {
  const h = mix32(seed ^ mix32(Math.imul(channel + 1, 0x9e3779b1) ^ mix32(index)));
  return h / 0x1_0000_0000;
}

/** Uniform in [min, max) — for per-target base levels. */
export function hashRange(seed: number, channel: number, min: number, max: number): number {
  return min + (max - min) * hashUnit(seed, channel);
}

/**
 * Smooth value noise in [-1, 1]: random values on a lattice every `periodMs`, eased in between,
 * so consecutive polls move believably instead of jumping.
 */
export function smoothNoise(seed: number, channel: number, timeMs: number, periodMs: number): number {
  const x = timeMs / periodMs;
  const cell = Math.floor(x);
  const f = x - cell;
  const a = hashUnit(seed, channel, cell) * 2 - 1;
  const b = hashUnit(seed, channel, cell + 1) * 2 - 1;
  const eased = f * f * (3 - 2 * f);
  return a + (b - a) * eased;
}

/** Two octaves: a slow wander (1 min) plus poll-to-poll jitter (5 s). Still within [-1, 1]. */
export function metricNoise(seed: number, channel: number, timeMs: number): number {
  return 0.6 * smoothNoise(seed, channel, timeMs, 60_000) + 0.4 * smoothNoise(seed, channel + 97, timeMs, 5_000);
}
