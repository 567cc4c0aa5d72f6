import { Client, Pool } from 'pg';
import type { AppConfig } from '../config/app-config';

/**
 * Every connection SeqPulse opens besides TypeORM's pool is created here, so the number of connections per
 * process and their session settings are in one place (docs/operations.md, "Connections").
 */

/** A small pool of its own for one hot statement family; `genericPlans`: each session plans each statement once. */
export function createQueryPool(config: AppConfig, options: { name: string; max: number; genericPlans?: boolean }): Pool {
  return new Pool({
    connectionString: config.DATABASE_URL,
    max: options.max,
    connectionTimeoutMillis: 5_000,
    application_name: `seqpulse-${options.name}`,
    ...(options.genericPlans ? { options: '-c plan_cache_mode=force_generic_plan' } : {}),
  });
}

/** A dedicated session for `LISTEN` (a pooled connection would lose its subscriptions). */
export function createListenClient(config: AppConfig): Client {
  return new Client({ connectionString: config.DATABASE_URL, application_name: 'seqpulse-listen', keepAlive: true });
}
