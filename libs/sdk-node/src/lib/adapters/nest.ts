import type { SeqPulseOptions } from '../options';
import type { SeqPulse } from '../seqpulse';
import { connectMiddleware, ConnectMiddleware } from './express';

/** The part of NestJS's MiddlewareConsumer used here; the package does not depend on NestJS. */
export interface MiddlewareConsumerLike {
  apply(...middleware: ConnectMiddleware[]): { forRoutes(...routes: string[]): unknown };
}

/**
 * Builds `SeqPulseModule`. Nest calls `configure()` on any module class that has it, so the module needs
 * no decorator and the package no `@nestjs/*` import: the same middleware as Express is applied to every
 * route, on the Express and the Fastify platform alike (Nest hands middleware the raw node:http objects).
 */
export function createNestModule(getDefault: () => SeqPulse, init: (options?: SeqPulseOptions) => SeqPulse) {
  return class SeqPulseModule {
    /** `imports: [SeqPulseModule.forRoot({ ... })]`: configures the default instance, like `seqpulse.init()`. */
    static forRoot(options?: SeqPulseOptions): { module: typeof SeqPulseModule } {
      init(options);
      return { module: SeqPulseModule };
    }

    configure(consumer: MiddlewareConsumerLike): void {
      consumer.apply(connectMiddleware(getDefault)).forRoutes('*');
    }
  };
}
