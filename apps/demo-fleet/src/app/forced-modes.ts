import { ActiveMode, ForceableMode } from './modes';

interface ForcedMode {
  mode: ForceableMode;
  sinceMs: number;
  /** null = until changed through the control API. */
  untilMs: number | null;
}

/** Without a duration, a forced memory creep reaches its peak after the same 5.5 min as the schedule. */
const DEFAULT_MEMORY_CREEP_RAMP_MS = 330_000;

/** Modes forced through the control API. They replace the schedule while they last. */
export class ForcedModes {
  private readonly byTarget = new Map<string, ForcedMode>();

  constructor(private readonly maxTargets = 10_000) {}

  /** Returns null when the table is full (a guard against unbounded growth, not a real limit). */
  force(name: string, mode: ForceableMode, nowMs: number, durationS?: number): ForcedMode | null {
    if (!this.byTarget.has(name) && this.byTarget.size >= this.maxTargets) return null;
    const forced: ForcedMode = {
      mode,
      sinceMs: nowMs,
      untilMs: durationS === undefined ? null : nowMs + durationS * 1000,
    };
    this.byTarget.set(name, forced);
    return forced;
  }

  release(name: string): boolean {
    return this.byTarget.delete(name);
  }

  clear(): void {
    this.byTarget.clear();
  }

  /** The forced mode still in effect for this target, if any (expired ones are dropped here). */
  current(name: string, nowMs: number): ForcedMode | undefined {
    const forced = this.byTarget.get(name);
    if (forced === undefined) return undefined;
    if (forced.untilMs !== null && nowMs >= forced.untilMs) {
      this.byTarget.delete(name);
      return undefined;
    }
    return forced;
  }
}

/** A forced mode as an ActiveMode: full intensity at once, except memory creep which must creep. */
export function forcedToActiveMode(forced: ForcedMode, nowMs: number): ActiveMode {
  const durationMs = forced.untilMs === null ? null : forced.untilMs - forced.sinceMs;
  const creepRampMs = durationMs === null ? DEFAULT_MEMORY_CREEP_RAMP_MS : durationMs * 0.7;
  return {
    mode: forced.mode,
    source: 'forced',
    elapsedMs: Math.max(0, nowMs - forced.sinceMs),
    durationMs,
    rampUpMs: forced.mode === 'memory_creep' ? creepRampMs : 0,
    rampDownMs: 0,
  };
}
