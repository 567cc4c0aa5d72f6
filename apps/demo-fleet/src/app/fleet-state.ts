import { NonceStore } from '@seqpulse/hmac';
import { ForcedModes, forcedToActiveMode } from './forced-modes';
import { IncidentCycle, IncidentRule, incidentsForTarget, scheduledModeAt } from './incident-schedule';
import { ActiveMode, BASELINE_MODE } from './modes';
import { RequestLog } from './request-log';

/** Everything the request handlers share: configuration plus the little mutable state there is. */
export interface FleetState {
  /** Epoch milliseconds; injectable so tests can travel in time. */
  clock: () => number;
  /** target name → HMAC secret; targets absent here need no signature. */
  secrets: Map<string, string>;
  incidentRules: readonly IncidentRule[];
  incidentCycle: IncidentCycle;
  forcedModes: ForcedModes;
  requestLog: RequestLog;
  nonceStore: NonceStore;
  slowResponseMs: number;
  outageHoldMs: number;
}

/** Forced mode first, then the scripted cycle, else plain traffic. */
export function activeModeFor(state: FleetState, name: string, nowMs: number): ActiveMode {
  const forced = state.forcedModes.current(name, nowMs);
  if (forced !== undefined) return forcedToActiveMode(forced, nowMs);
  const incidents = incidentsForTarget(name, state.incidentRules);
  return scheduledModeAt(nowMs, incidents, state.incidentCycle) ?? BASELINE_MODE;
}
