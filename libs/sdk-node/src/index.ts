import { connectMiddleware } from './lib/adapters/express';
import { fastifyPlugin } from './lib/adapters/fastify';
import { createNestModule } from './lib/adapters/nest';
import { NodeHandler, wrapHandler } from './lib/adapters/node-http';
import { createCIClient } from './lib/ci/ci-client';
import { defaultInstance, init } from './lib/default-instance';

export { init } from './lib/default-instance';
export type { SeqPulse } from './lib/seqpulse';
export type { MetricsPayload, EndpointResponse } from './lib/seqpulse';
export type { SeqPulseOptions } from './lib/options';
export { DEFAULT_ENDPOINT } from './lib/options';
export { LATENCY_RELATIVE_ACCURACY } from './lib/request-window';
export type { ConnectMiddleware } from './lib/adapters/express';
export type { FastifyPlugin } from './lib/adapters/fastify';
export type { NodeHandler } from './lib/adapters/node-http';
export { createCIClient, SeqPulseApiError } from './lib/ci/ci-client';
export type {
  CIClient,
  CIClientOptions,
  TriggerInput,
  TriggerResult,
  FinishInput,
  FinishResult,
  Verdict,
  VerdictValue,
} from './lib/ci/ci-client';

/** Express / Connect middleware on the default instance: `app.use(seqpulse.metrics())`. */
export function metrics() {
  return connectMiddleware(defaultInstance);
}

/** Fastify plugin on the default instance: `app.register(seqpulse.fastify)`. */
export const fastify = fastifyPlugin(defaultInstance);

/** node:http: `http.createServer(seqpulse.wrap(handler))`. */
export function wrap(handler: NodeHandler): NodeHandler {
  return wrapHandler(defaultInstance, handler);
}

/** NestJS: `imports: [SeqPulseModule.forRoot({ ... })]` (or `SeqPulseModule` with the environment's settings). */
export const SeqPulseModule = createNestModule(defaultInstance, init);

/** The five metrics now, as the endpoint would serve them (e.g. for your own logging). */
export function collect() {
  return defaultInstance().collect();
}

const seqpulse = { init, metrics, fastify, wrap, SeqPulseModule, collect, createCIClient };
export default seqpulse;
