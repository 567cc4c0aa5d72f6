import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SeqPulse } from '../seqpulse';
import { observe } from './node-http';

export type ConnectMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** `app.use(seqpulse.metrics())` for Express and Connect; mount it first so it times the whole request. */
export function connectMiddleware(getCore: () => SeqPulse): ConnectMiddleware {
  return function seqpulseMetrics(req, res, next) {
    if (observe(getCore(), req, res)) return;
    next();
  };
}
