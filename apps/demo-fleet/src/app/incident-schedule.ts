import { ActiveMode, INCIDENT_KINDS, IncidentKind, RELEASE_KINDS, TargetMode } from './modes';

/** One scripted phase of the cycle, played only on targets whose rule enables `incident`. */
export interface IncidentWindow {
  incident: IncidentKind;
  mode: TargetMode;
  startS: number;
  durationS: number;
  rampUpS?: number;
  rampDownS?: number;
}

export interface IncidentCycle {
  lengthS: number;
  /** Checked in order; the first enabled window covering the instant wins. */
  windows: readonly IncidentWindow[];
}

/**
 * The default 30-minute script. Cycles are aligned to the Unix epoch, so on every incident
 * target the cycle restarts at hh:00 and hh:30 UTC (predictable for demos). Durations are
 * chosen so that each built-in alert rule (5-minute means) really fires:
 * - 02:00–04:30 error burst, error_rate 0.05–0.1 → `error_rate_high`;
 * - 06:00–12:30 CPU saturation: 2 min ramp, 3.5 min above 0.9, 1 min down → `cpu_high`
 *   and, through latency, `latency_p95_high`;
 * - 14:00–22:00 memory creep to ~0.96 (5.5 min ramp, then held) → `memory_high`;
 * - 22:00–28:00 outage after the "OOM": no answer at all for 6 min → `no_data`;
 * - 22:00–30:00 restart: memory drops well below normal and climbs back.
 * Release effects, played on `*staging*` targets in step with the API's demo deployments (trigger at 00:00,
 * 10:00 and 20:00 of the cycle, finish 45 s later, 5-minute observation window; see DemoDeployments):
 * - 00:45 a good release: no effect;
 * - 10:45–15:45 a harmless but noisy release (`jittery`: wider noise, same levels) → verdict ok;
 * - 20:45–24:00 a bad release (`error_burst`, ~8 % errors) → verdict rollback_recommended.
 */
export const DEFAULT_INCIDENT_CYCLE: IncidentCycle = {
  lengthS: 1800,
  windows: [
    {
      incident: 'error_burst',
      mode: 'error_burst',
      startS: 120,
      durationS: 150,
    },
    {
      incident: 'cpu_saturation',
      mode: 'cpu_saturation',
      startS: 360,
      durationS: 390,
      rampUpS: 120,
      rampDownS: 60,
    },
    {
      incident: 'memory_creep',
      mode: 'memory_creep',
      startS: 840,
      durationS: 480,
      rampUpS: 330,
    },
    { incident: 'outage', mode: 'outage', startS: 1320, durationS: 360 },
    { incident: 'noisy_release', mode: 'jittery', startS: 645, durationS: 300 },
    { incident: 'bad_release', mode: 'error_burst', startS: 1245, durationS: 195 },
    {
      incident: 'memory_creep',
      mode: 'memory_restart',
      startS: 1320,
      durationS: 480,
      rampDownS: 480,
    },
  ],
};

/** Which incidents a target plays: the first rule whose pattern matches the name decides. */
export interface IncidentRule {
  pattern: RegExp;
  incidents: readonly IncidentKind[];
}

/** Defaults: benchmark targets stay quiet (fast path), `*staging*` plays the release effects, `*prod*` the incidents. */
export const DEFAULT_INCIDENT_RULES: readonly IncidentRule[] = [
  { pattern: /^bench-/, incidents: [] },
  { pattern: /staging/, incidents: RELEASE_KINDS },
  { pattern: /prod/, incidents: INCIDENT_KINDS },
];

export function incidentsForTarget(name: string, rules: readonly IncidentRule[]): readonly IncidentKind[] {
  for (const rule of rules) {
    if (rule.pattern.test(name)) return rule.incidents;
  }
  return [];
}

/** The scheduled mode at `nowMs`, or null when the target is in a quiet part of the cycle. */
export function scheduledModeAt(nowMs: number, enabled: readonly IncidentKind[], cycle: IncidentCycle): ActiveMode | null {
  if (enabled.length === 0) return null;
  const cycleMs = cycle.lengthS * 1000;
  const offsetMs = ((nowMs % cycleMs) + cycleMs) % cycleMs;
  for (const window of cycle.windows) {
    const startMs = window.startS * 1000;
    const durationMs = window.durationS * 1000;
    if (offsetMs < startMs || offsetMs >= startMs + durationMs) continue;
    if (!enabled.includes(window.incident)) continue;
    return {
      mode: window.mode,
      source: 'schedule',
      elapsedMs: offsetMs - startMs,
      durationMs,
      rampUpMs: (window.rampUpS ?? 0) * 1000,
      rampDownMs: (window.rampDownS ?? 0) * 1000,
    };
  }
  return null;
}
