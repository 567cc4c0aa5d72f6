import { NonceStore } from '@seqpulse/hmac';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { handleControl } from './app/control-api';
import { FleetState } from './app/fleet-state';
import { ForcedModes } from './app/forced-modes';
import { pathOf, sendJson } from './app/http-helpers';
import { DEFAULT_INCIDENT_CYCLE, DEFAULT_INCIDENT_RULES, IncidentCycle, IncidentRule } from './app/incident-schedule';
import { serveMetrics } from './app/metrics-endpoint';
import { PendingResponses } from './app/pending-responses';
import { RequestLog } from './app/request-log';
import { isValidTargetName, targetNameFromMetricsPath } from './app/target-names';

export { DEFAULT_INCIDENT_CYCLE, DEFAULT_INCIDENT_RULES } from './app/incident-schedule';
export type { IncidentCycle, IncidentRule, IncidentWindow } from './app/incident-schedule';
export { FORCEABLE_MODES, INCIDENT_KINDS } from './app/modes';
export type { ForceableMode, IncidentKind } from './app/modes';
export { TARGET_NAME_PATTERN } from './app/target-names';

const DEFAULT_PORT = 4100;
const DEFAULT_HOST = '127.0.0.1';

export interface DemoFleetOptions {
  /** 0 picks a free port (tests). Default 4100. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** target name → HMAC v2 secret. Targets listed here reject unsigned or badly signed polls. */
  secrets?: Readonly<Record<string, string>>;
  /** Epoch milliseconds. Default Date.now. */
  clock?: () => number;
  /** Which targets play which incidents; first match wins. Default: `bench-*` none, `*prod*` all. */
  incidentRules?: readonly IncidentRule[];
  /** The scripted incident cycle. Default: 30 minutes, see DEFAULT_INCIDENT_CYCLE. */
  incidentCycle?: IncidentCycle;
  /** Delay of the `slow` mode. Default 10 s. */
  slowResponseMs?: number;
  /** An unanswered outage socket is destroyed after this long. Default 10 min. */
  outageHoldMs?: number;
  /** Serve /control/… routes. Default true. */
  controlApi?: boolean;
}

export interface DemoFleet {
  host: string;
  port: number;
  /** `http://<host>:<port>`, e.g. to build `${url}/targets/shop-prod/metrics`. */
  url: string;
  /** Adds, replaces (string) or removes (null) the HMAC secret of a target at runtime. */
  setSecret(name: string, secret: string | null): void;
  /** Stops listening, drops held/slow responses and ends open connections. Idempotent. */
  close(): Promise<void>;
}

/** Idle keep-alive sockets survive the 15 s poll interval, so a poller can reuse them. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** After close(), connections still busy get this long before being cut. */
const SHUTDOWN_GRACE_MS = 2_000;

/** Starts one HTTP server that plays every virtual target. */
export async function startDemoFleet(options: DemoFleetOptions = {}): Promise<DemoFleet> {
  const state = createFleetState(options);
  const pending = new PendingResponses();
  const controlApi = options.controlApi ?? true;
  const server = createServer((req, res) => routeRequest(state, pending, controlApi, req, res));
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000; // must exceed keepAliveTimeout

  const host = options.host ?? DEFAULT_HOST;
  const port = await listen(server, options.port ?? DEFAULT_PORT, host);
  let closing: Promise<void> | undefined;

  return {
    host,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    setSecret(name, secret) {
      if (secret === null) state.secrets.delete(name);
      else state.secrets.set(name, secret);
    },
    close() {
      closing ??= shutDown(server, pending);
      return closing;
    },
  };
}

function createFleetState(options: DemoFleetOptions): FleetState {
  return {
    clock: options.clock ?? Date.now,
    secrets: new Map(Object.entries(options.secrets ?? {})),
    incidentRules: options.incidentRules ?? DEFAULT_INCIDENT_RULES,
    incidentCycle: options.incidentCycle ?? DEFAULT_INCIDENT_CYCLE,
    forcedModes: new ForcedModes(),
    requestLog: new RequestLog(),
    nonceStore: new NonceStore(),
    slowResponseMs: options.slowResponseMs ?? 10_000,
    outageHoldMs: options.outageHoldMs ?? 600_000,
  };
}

function routeRequest(state: FleetState, pending: PendingResponses, controlApi: boolean, req: IncomingMessage, res: ServerResponse): void {
  try {
    const path = pathOf(req.url);
    // Hot path first: this is what 10,000 targets hit every 15 s.
    const target = targetNameFromMetricsPath(path);
    if (target !== undefined) {
      if (!isValidTargetName(target)) return sendJson(res, 404, { error: 'invalid_target_name' });
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed' });
      return serveMetrics(state, pending, target, req, res);
    }
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (controlApi && path.startsWith('/control/')) {
      handleControl(state, path, req, res).catch((error) => answerInternalError(res, error));
      return;
    }
    sendJson(res, 404, { error: 'not_found' });
  } catch (error) {
    answerInternalError(res, error);
  }
}

function answerInternalError(res: ServerResponse, error: unknown): void {
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'demo-fleet request failed',
      error: String(error),
    }),
  );
  if (!res.headersSent) sendJson(res, 500, { error: 'fleet_internal_error' });
  else res.destroy();
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function shutDown(server: Server, pending: PendingResponses): Promise<void> {
  return new Promise((resolve) => {
    pending.destroyAll();
    const forceClose = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    server.close(() => {
      clearTimeout(forceClose);
      resolve();
    });
    server.closeIdleConnections();
  });
}
