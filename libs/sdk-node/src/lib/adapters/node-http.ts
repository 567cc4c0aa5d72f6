import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EndpointResponse, SeqPulse } from '../seqpulse';

/** Express keeps the path before mounting in `originalUrl`; plain node:http has `url` only. */
export function requestTarget(req: IncomingMessage & { originalUrl?: string }): string {
  return req.originalUrl ?? req.url ?? '/';
}

export function send(res: ServerResponse, response: EndpointResponse): void {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body);
}

/**
 * The shared node:http path (Express, Connect, NestJS on either platform, plain servers): answer the
 * endpoint, or start timing and record when the response has been handed to the OS. Returns true when the
 * request was answered here.
 */
export function observe(core: SeqPulse, req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): boolean {
  const target = requestTarget(req);
  if (core.isEndpoint(target)) {
    send(res, core.respond(req.method, target, req.headers));
    return true;
  }
  const startedAt = core.now();
  res.once('finish', () => core.record(startedAt, res.statusCode));
  return false;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** `http.createServer(seqpulse.wrap(handler))`: the metrics endpoint in front of any node:http handler. */
export function wrapHandler(getCore: () => SeqPulse, handler: NodeHandler): NodeHandler {
  return function seqpulseWrapped(req, res) {
    if (observe(getCore(), req, res)) return;
    handler(req, res);
  };
}
