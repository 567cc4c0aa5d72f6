import { hashRange, hashString } from './hash';

/** Per-target base levels: fixed for a name, different between names. */
export interface TargetProfile {
  seed: number;
  baseRequestsPerSec: number;
  baseLatencyMs: number;
  baseErrorRate: number;
  baseCpu: number;
  baseMemory: number;
  /** Relative swing of the daily load curve (0.3 = ±30 %). */
  dailyAmplitude: number;
  /** Hour of the day (UTC) with the most traffic. */
  peakHourUtc: number;
}

/**
 * Derived from a hash of the name only. Ranges keep a quiet target clearly below every
 * default alert threshold (CPU < 0.8, memory < 0.85, latency < 500 ms, errors < 1 %),
 * so alerts come from incidents, not from bad luck.
 */
export function targetProfile(name: string): TargetProfile {
  const seed = hashString(name);
  return {
    seed,
    // Log-uniform: many small services, a few busy ones (5 to 400 req/s).
    baseRequestsPerSec: Math.exp(hashRange(seed, 1, Math.log(5), Math.log(400))),
    baseLatencyMs: hashRange(seed, 2, 60, 220),
    baseErrorRate: hashRange(seed, 3, 0.0005, 0.004),
    baseCpu: hashRange(seed, 4, 0.18, 0.45),
    baseMemory: hashRange(seed, 5, 0.4, 0.62),
    dailyAmplitude: hashRange(seed, 6, 0.3, 0.5),
    peakHourUtc: hashRange(seed, 7, 12, 20),
  };
}
