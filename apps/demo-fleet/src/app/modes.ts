/** Modes the control API can force on a target. */
export const FORCEABLE_MODES = [
  'normal',
  'error_burst',
  'cpu_saturation',
  'memory_creep',
  'outage',
  'garbage',
  'invalid_metric',
  'http_500',
  'slow',
  'jittery',
] as const;

export type ForceableMode = (typeof FORCEABLE_MODES)[number];

/** Incidents the schedule can play on a target (configurable per target name). */
export const INCIDENT_KINDS = ['error_burst', 'cpu_saturation', 'memory_creep', 'outage'] as const;

/**
 * Effects of the demo's scripted releases (the API's demo deployments run on the same epoch-aligned clock):
 * a harmless release that only makes the service noisier, and a bad one that raises the error rate.
 */
export const RELEASE_KINDS = ['noisy_release', 'bad_release'] as const;

export type IncidentKind = (typeof INCIDENT_KINDS)[number] | (typeof RELEASE_KINDS)[number];

/**
 * What a target is doing at one instant. `memory_restart` only comes from the schedule:
 * the process "restarted" after a memory creep and its memory is climbing back to normal.
 */
export type TargetMode = ForceableMode | 'memory_restart';

export interface ActiveMode {
  mode: TargetMode;
  source: 'forced' | 'schedule' | 'baseline';
  /** Time since the mode started. */
  elapsedMs: number;
  /** Total length, or null when it lasts until changed. */
  durationMs: number | null;
  /** Time to reach full intensity (0 = at once). */
  rampUpMs: number;
  /** Time over which the intensity fades before the end (0 = stops at once). */
  rampDownMs: number;
}

/** Shared, immutable "nothing special" mode: the fast path allocates nothing. */
export const BASELINE_MODE: ActiveMode = Object.freeze({
  mode: 'normal',
  source: 'baseline',
  elapsedMs: 0,
  durationMs: null,
  rampUpMs: 0,
  rampDownMs: 0,
});

export function isForceableMode(value: unknown): value is ForceableMode {
  return typeof value === 'string' && (FORCEABLE_MODES as readonly string[]).includes(value);
}

export function isIncidentKind(value: unknown): value is IncidentKind {
  return typeof value === 'string' && ([...INCIDENT_KINDS, ...RELEASE_KINDS] as readonly string[]).includes(value);
}

/** 0..1 strength of a mode now: linear ramp up, plateau, linear ramp down before its end. */
export function modeIntensity(active: ActiveMode): number {
  const up = active.rampUpMs > 0 ? active.elapsedMs / active.rampUpMs : 1;
  const down = active.durationMs !== null && active.rampDownMs > 0 ? (active.durationMs - active.elapsedMs) / active.rampDownMs : 1;
  return Math.max(0, Math.min(1, up, down));
}
