import { IncomingMessage, ServerResponse } from 'node:http';
import { activeModeFor, FleetState } from './fleet-state';
import { BodyTooLargeError, InvalidJsonError, readJsonBody, sendJson } from './http-helpers';
import { incidentsForTarget } from './incident-schedule';
import { metricsFor } from './metrics-endpoint';
import { FORCEABLE_MODES, isForceableMode } from './modes';
import { isValidTargetName } from './target-names';
import { historyOf, MAX_HISTORY_MS, pastIncident } from './history';
import { METRIC_NAMES } from '@seqpulse/contracts';

/** A forced mode lasts at most a week: enough for any demo, and bounded. */
const MAX_DURATION_S = 7 * 24 * 3600;

type ControlAction = 'mode' | 'requests' | 'state' | 'history';

/**
 * Control API for tests and demos (no authentication: the fleet listens on 127.0.0.1 by default).
 * - POST   /control/targets/<name>/mode      {"mode", "duration_s"?}  force a mode
 * - DELETE /control/targets/<name>/mode      back to the schedule
 * - GET    /control/targets/<name>/requests  polls received + last request's headers
 * - GET    /control/targets/<name>/state     current mode, its source and the current values
 * - GET    /control/targets/<name>/history?from=<ms>&to=<ms>&step_s=15  past values from the same model
 *                                             (daily pattern, a past incident on prod targets), at most one day
 * - POST   /control/reset                    forget forced modes and request counts
 */
export async function handleControl(state: FleetState, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (path === '/control/reset') {
    if (req.method !== 'POST') return methodNotAllowed(res);
    state.forcedModes.clear();
    state.requestLog.clear();
    return sendJson(res, 200, { ok: true });
  }

  const route = parseTargetRoute(path);
  if (route === null) return sendJson(res, 404, { error: 'not_found' });
  if (!isValidTargetName(route.name)) return sendJson(res, 404, { error: 'invalid_target_name' });

  switch (`${req.method} ${route.action}`) {
    case 'POST mode':
      return forceMode(state, route.name, req, res);
    case 'DELETE mode':
      return sendJson(res, 200, {
        target: route.name,
        released: state.forcedModes.release(route.name),
      });
    case 'GET requests':
      return describeRequests(state, route.name, res);
    case 'GET state':
      return describeState(state, route.name, res);
    case 'GET history':
      return describeHistory(route.name, req, res);
    default:
      return methodNotAllowed(res);
  }
}

/** `/control/targets/<name>/<action>` → its parts, or null. */
function parseTargetRoute(path: string): { name: string; action: ControlAction } | null {
  const match = /^\/control\/targets\/([^/]+)\/(mode|requests|state|history)\/?$/.exec(path);
  return match === null ? null : { name: match[1], action: match[2] as ControlAction };
}

function describeHistory(name: string, req: IncomingMessage, res: ServerResponse): void {
  const query = new URL(req.url ?? '/', 'http://fleet').searchParams;
  const from = Number(query.get('from'));
  const to = Number(query.get('to'));
  const stepS = Number(query.get('step_s') ?? 15);
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to || to - from > MAX_HISTORY_MS || !(stepS >= 5 && stepS <= 3600)) {
    return sendJson(res, 400, { error: 'invalid_range', max_ms: MAX_HISTORY_MS });
  }
  const now = Date.now();
  return sendJson(res, 200, {
    target: name,
    step_s: stepS,
    metrics: METRIC_NAMES,
    first: Math.ceil(from / (stepS * 1000)) * stepS * 1000,
    incident: pastIncident(name, now),
    values: historyOf(name, from, Math.min(to, now), stepS * 1000, now),
  });
}

async function forceMode(state: FleetState, name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body: unknown;
  try {
    body = await readJsonBody(req);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return sendJson(res, 413, { error: 'body_too_large' });
    if (error instanceof InvalidJsonError) return sendJson(res, 400, { error: 'invalid_json' });
    throw error;
  }
  const { mode, duration_s: durationS } = (body ?? {}) as {
    mode?: unknown;
    duration_s?: unknown;
  };
  if (!isForceableMode(mode)) {
    return sendJson(res, 400, {
      error: 'invalid_mode',
      allowed: FORCEABLE_MODES,
    });
  }
  if (durationS !== undefined && !isValidDuration(durationS)) {
    return sendJson(res, 400, {
      error: 'invalid_duration',
      max: MAX_DURATION_S,
    });
  }
  const forced = state.forcedModes.force(name, mode, state.clock(), durationS);
  if (forced === null) return sendJson(res, 429, { error: 'too_many_forced_targets' });
  sendJson(res, 200, {
    target: name,
    mode: forced.mode,
    since: isoTime(forced.sinceMs),
    until: forced.untilMs === null ? null : isoTime(forced.untilMs),
  });
}

function isValidDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_DURATION_S;
}

function describeRequests(state: FleetState, name: string, res: ServerResponse): void {
  const record = state.requestLog.get(name);
  sendJson(res, 200, {
    target: name,
    count: record?.count ?? 0,
    last_at: record === undefined ? null : isoTime(record.lastAtMs),
    last_status: record?.lastStatus ?? null,
    last_headers: record?.lastHeaders ?? null,
  });
}

function describeState(state: FleetState, name: string, res: ServerResponse): void {
  const nowMs = state.clock();
  const active = activeModeFor(state, name, nowMs);
  const sinceMs = nowMs - active.elapsedMs;
  sendJson(res, 200, {
    target: name,
    mode: active.mode,
    source: active.source,
    since: active.source === 'baseline' ? null : isoTime(sinceMs),
    until: active.durationMs === null ? null : isoTime(sinceMs + active.durationMs),
    incidents: incidentsForTarget(name, state.incidentRules),
    hmac: state.secrets.has(name),
    // The values behind the answer (also shown for modes that answer something else).
    metrics: metricsFor(name, nowMs, active),
  });
}

function methodNotAllowed(res: ServerResponse): void {
  sendJson(res, 405, { error: 'method_not_allowed' });
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
