import { Client, Pool } from 'pg';
import type { AppConfig } from '../config/app-config';

/**
 * Every connection SeqPulse opens besides TypeORM's pool is created here, so the number of connections per
 * process and their session settings are in one place (docs/operations.md, "Connections").
 */

/**
 * Whether a connection keeps its session between transactions. Not behind a transaction-mode pooler, where
 * consecutive statements of one client may run on different server connections: there startup options are
 * refused (`unsupported startup parameter: options`) and a named prepared statement may not exist where the
 * next execution lands.
 */
export function sessionStateKept(config: AppConfig): boolean {
  return config.DATABASE_POOL_MODE !== 'transaction';
}

/**
 * A small pool of its own for one hot statement family; `genericPlans`: each session plans each named statement
 * once (planning cost 2–7 ms of a ~5 ms statement; docs/performance.md). Behind a transaction pooler the
 * statements stay unnamed and are planned at each execution.
 */
export function createQueryPool(config: AppConfig, options: { name: string; max: number; genericPlans?: boolean }): Pool {
  return new Pool({
    connectionString: config.DATABASE_URL,
    max: options.max,
    connectionTimeoutMillis: 5_000,
    application_name: `seqpulse-${options.name}`,
    ...(options.genericPlans && sessionStateKept(config) ? { options: '-c plan_cache_mode=force_generic_plan' } : {}),
  });
}

/** A dedicated session for `LISTEN` (a pooled connection would lose its subscriptions): never through a transaction pooler. */
export function createListenClient(config: AppConfig): Client {
  return new Client({
    connectionString: config.DATABASE_SESSION_URL ?? config.DATABASE_URL,
    application_name: 'seqpulse-listen',
    keepAlive: true,
  });
}
