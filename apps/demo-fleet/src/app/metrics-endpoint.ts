import { MetricValues } from '@seqpulse/contracts';
import { verifyPoll } from '@seqpulse/hmac';
import { IncomingMessage, ServerResponse } from 'node:http';
import { activeModeFor, FleetState } from './fleet-state';
import { sendJson, sendText } from './http-helpers';
import { PendingResponses } from './pending-responses';
import { TargetRequestRecord } from './request-log';
import { targetProfile } from './target-profile';
import { computeMetrics } from './traffic-model';
import { ActiveMode } from './modes';

/** `invalid_metric` mode: a ratio outside 0..1, so the whole sample must be rejected. */
const INVALID_ERROR_RATE = 1.7;

/** `garbage` mode: what a misconfigured proxy might return with a 200. */
const GARBAGE_BODY = '<html><body>502 Bad Gateway (not JSON) {"metrics": </body></html>';

/** The values a target reports now, as in a normal poll, without counting a request. */
export function metricsFor(name: string, nowMs: number, active: ActiveMode): MetricValues {
  return computeMetrics(targetProfile(name), nowMs, active);
}

/** `GET /targets/<name>/metrics`: the customer endpoint SeqPulse polls. */
export function serveMetrics(state: FleetState, pending: PendingResponses, name: string, req: IncomingMessage, res: ServerResponse): void {
  const nowMs = state.clock();
  const record = state.requestLog.record(name, req.headers, nowMs);
  const active = activeModeFor(state, name, nowMs);

  // A dead service checks nothing: the socket is accepted and no answer ever comes.
  if (active.mode === 'outage') {
    pending.holdWithoutAnswer(res, state.outageHoldMs);
    return;
  }

  const secret = state.secrets.get(name);
  if (secret !== undefined) {
    const verdict = verifyPoll({
      secret,
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      now: new Date(nowMs),
      nonceStore: state.nonceStore,
    });
    if (!verdict.ok) {
      answerJson(record, res, 401, { error: verdict.reason });
      return;
    }
  }

  switch (active.mode) {
    case 'garbage':
      record.lastStatus = 200;
      sendText(res, 200, GARBAGE_BODY, {
        'content-type': 'text/html; charset=utf-8',
      });
      return;
    case 'http_500':
      answerJson(record, res, 500, { error: 'internal_server_error' });
      return;
    case 'invalid_metric': {
      const metrics = metricsFor(name, nowMs, active);
      metrics.error_rate = INVALID_ERROR_RATE;
      answerJson(record, res, 200, { metrics });
      return;
    }
    case 'slow': {
      const metrics = metricsFor(name, nowMs, active);
      pending.answerLater(res, state.slowResponseMs, () => answerJson(record, res, 200, { metrics }));
      return;
    }
    default:
      answerJson(record, res, 200, {
        metrics: metricsFor(name, nowMs, active),
      });
  }
}

function answerJson(record: TargetRequestRecord, res: ServerResponse, status: number, body: unknown): void {
  record.lastStatus = status;
  sendJson(res, status, body);
}
