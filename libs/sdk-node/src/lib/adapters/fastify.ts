import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { SeqPulse } from '../seqpulse';

/** The parts of Fastify (v4 and v5) this plugin touches; the package does not depend on Fastify. */
export interface FastifyLikeRequest {
  raw: IncomingMessage;
  method: string;
  headers: IncomingHttpHeaders;
}
export interface FastifyLikeReply {
  statusCode: number;
  elapsedTime?: number;
  getResponseTime?(): number;
  code(status: number): FastifyLikeReply;
  headers(values: Record<string, string>): FastifyLikeReply;
  send(payload: string): FastifyLikeReply;
}
type HookDone = () => void;
export interface FastifyLikeInstance {
  addHook(name: 'onRequest' | 'onResponse', hook: (request: FastifyLikeRequest, reply: FastifyLikeReply, done: HookDone) => void): unknown;
}
export type FastifyPlugin = ((instance: FastifyLikeInstance, options: unknown, done: (error?: Error) => void) => void) &
  Record<symbol, unknown>;

/**
 * `app.register(seqpulse.fastify)`. Marked like fastify-plugin does (skip-override), so its hooks apply to
 * the whole application and not only to routes registered inside the plugin.
 */
export function fastifyPlugin(getCore: () => SeqPulse): FastifyPlugin {
  const plugin = function seqpulseFastify(instance: FastifyLikeInstance, _options: unknown, done: (error?: Error) => void) {
    instance.addHook('onRequest', (request, reply, next) => {
      const core = getCore();
      const target = request.raw.url ?? '/';
      if (!core.isEndpoint(target)) return next();
      const response = core.respond(request.method, target, request.headers);
      reply.code(response.status).headers(response.headers).send(response.body);
    });
    instance.addHook('onResponse', (request, reply, next) => {
      const core = getCore();
      if (!core.isEndpoint(request.raw.url)) {
        core.recordDuration(reply.elapsedTime ?? reply.getResponseTime?.() ?? 0, reply.statusCode);
      }
      next();
    });
    done();
  } as FastifyPlugin;
  plugin[Symbol.for('skip-override')] = true;
  plugin[Symbol.for('fastify.display-name')] = '@seqpulse/node';
  plugin[Symbol.for('plugin-meta')] = { name: '@seqpulse/node', fastify: '>=4' };
  return plugin;
}
