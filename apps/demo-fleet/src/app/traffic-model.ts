import { METRIC_NAMES, METRICS, MetricName, MetricValues } from '@seqpulse/contracts';
import { metricNoise } from './hash';
import { ActiveMode, modeIntensity } from './modes';
import { TargetProfile } from './target-profile';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Independent noise stream per metric, plus one for incident levels. */
const NOISE_CHANNEL: Readonly<Record<MetricName, number>> = {
  requests_per_sec: 11,
  latency_p95: 12,
  error_rate: 13,
  cpu_usage: 14,
  memory_usage: 15,
};
const INCIDENT_NOISE_CHANNEL = 21;

/** Decimals sent on the wire: enough to look real, short enough to keep payloads small. */
const DECIMALS: Readonly<Record<MetricName, number>> = {
  requests_per_sec: 2,
  latency_p95: 1,
  error_rate: 5,
  cpu_usage: 4,
  memory_usage: 4,
};

/** Load multiplier over the day: 1 ± amplitude, highest at the target's peak hour (UTC). */
export function dailyLoadFactor(profile: TargetProfile, nowMs: number): number {
  const hourOfDay = (((nowMs % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  const angle = ((hourOfDay - profile.peakHourUtc) / 24) * 2 * Math.PI;
  return 1 + profile.dailyAmplitude * Math.cos(angle);
}

/** Healthy-service values: daily shape plus smooth noise; latency and CPU follow the load. */
export function baselineMetrics(profile: TargetProfile, nowMs: number): MetricValues {
  const load = dailyLoadFactor(profile, nowMs);
  const noise = (name: MetricName) => metricNoise(profile.seed, NOISE_CHANNEL[name], nowMs);
  return {
    requests_per_sec: profile.baseRequestsPerSec * load * (1 + 0.08 * noise('requests_per_sec')),
    latency_p95: profile.baseLatencyMs * (0.85 + 0.25 * load) * (1 + 0.1 * noise('latency_p95')),
    error_rate: profile.baseErrorRate * (1 + 0.6 * noise('error_rate')),
    cpu_usage: profile.baseCpu * (0.55 + 0.45 * load) + 0.03 * noise('cpu_usage'),
    memory_usage: profile.baseMemory + 0.02 * (load - 1) + 0.03 * noise('memory_usage'),
  };
}

function lerp(from: number, to: number, t: number): number {
  return from + (to - from) * t;
}

/** Bends the baseline (in place) according to the active incident. */
function applyIncident(values: MetricValues, profile: TargetProfile, nowMs: number, active: ActiveMode): void {
  const intensity = modeIntensity(active);
  const noise = metricNoise(profile.seed, INCIDENT_NOISE_CHANNEL, nowMs);
  switch (active.mode) {
    case 'error_burst':
      values.error_rate = lerp(values.error_rate, 0.075 + 0.025 * noise, intensity);
      values.latency_p95 *= 1 + 0.25 * intensity;
      break;
    case 'cpu_saturation':
      values.cpu_usage = lerp(values.cpu_usage, 0.95 + 0.03 * noise, intensity);
      // A saturated CPU queues requests: latency climbs and throughput sags.
      values.latency_p95 = lerp(values.latency_p95, Math.max(values.latency_p95, 700 + 100 * noise), intensity);
      values.requests_per_sec *= 1 - 0.15 * intensity;
      break;
    case 'memory_creep':
      values.memory_usage = lerp(values.memory_usage, 0.955 + 0.01 * noise, intensity);
      // Garbage-collection pressure.
      values.cpu_usage += 0.05 * intensity;
      values.latency_p95 *= 1 + 0.2 * intensity;
      break;
    case 'jittery': {
      // A noisier service at the same levels: symmetric noise, so means and medians do not move.
      const jitter = (channel: number) => metricNoise(profile.seed, INCIDENT_NOISE_CHANNEL + channel, nowMs);
      values.latency_p95 *= 1 + 0.25 * intensity * jitter(1);
      values.error_rate *= 1 + 0.6 * intensity * jitter(2);
      values.cpu_usage += 0.04 * intensity * jitter(3);
      break;
    }
    case 'memory_restart':
      // Fresh process: memory starts low and climbs back as caches warm up.
      values.memory_usage -= 0.25 * intensity;
      break;
    default:
      // Other modes change the HTTP answer, not the values.
      break;
  }
}

/** Rounds to the wire precision and keeps every value inside the contract's valid range. */
function toValidRange(values: MetricValues): MetricValues {
  for (const name of METRIC_NAMES) {
    const { min, max } = METRICS[name];
    const factor = 10 ** DECIMALS[name];
    const rounded = Math.round(values[name] * factor) / factor;
    values[name] = Math.min(max ?? Infinity, Math.max(min, rounded));
  }
  return values;
}

/** The five metrics a target reports at `nowMs` in the given mode. Pure and deterministic. */
export function computeMetrics(profile: TargetProfile, nowMs: number, active: ActiveMode): MetricValues {
  const values = baselineMetrics(profile, nowMs);
  applyIncident(values, profile, nowMs, active);
  return toValidRange(values);
}
