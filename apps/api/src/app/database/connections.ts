import { Client, Pool } from 'pg';
import type { AppConfig } from '../config/app-config';
import { PrimaryLocator } from './primary-locator';

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
const locators = new WeakMap<AppConfig, Map<string, PrimaryLocator | null>>();

/** The locator of the writable node among the hosts of `url` (one per application and URL), or null for one host. */
function locatorOf(config: AppConfig, url: string): PrimaryLocator | null {
  let byUrl = locators.get(config);
  if (!byUrl) locators.set(config, (byUrl = new Map()));
  if (!byUrl.has(url)) {
    const locator = new PrimaryLocator(url);
    byUrl.set(url, locator.multiHost ? locator : null);
  }
  return byUrl.get(url) ?? null;
}

/**
 * The locator of the writable node when DATABASE_URL names several hosts, else null and every connection goes to
 * DATABASE_URL as given.
 */
export function primaryLocator(config: AppConfig): PrimaryLocator | null {
  return locatorOf(config, config.DATABASE_URL as string);
}

/** `connectionString` and `Client` for a pool or a client of `url` (the located primary when multi-host). */
function primaryConnection(config: AppConfig, url = config.DATABASE_URL as string): { connectionString: string; Client?: typeof Client } {
  const locator = locatorOf(config, url);
  return locator ? { connectionString: locator.url, Client: locator.clientClass() } : { connectionString: url };
}

/**
 * How long a pooled connection may stay unused before it is closed. pg's default (10 s) closed the connections
 * above the steady load after each burst of concurrent statements and opened them again at the next: 109 sessions in
 * 391 s of the collection benchmark (1,000 targets), each a new backend that warms its catalogue caches and prepares
 * and plans the hot statements again. Kept for 10 minutes, a pool keeps what its bursts need.
 */
export const POOL_IDLE_TIMEOUT_MS = 600_000;

export function sessionStateKept(config: AppConfig): boolean {
  return config.DATABASE_POOL_MODE !== 'transaction';
}

/**
 * A small pool of its own for one hot statement family (`replica`: on DATABASE_READ_URL); `genericPlans`: each session plans each named statement
 * once (planning cost 2–7 ms of a ~5 ms statement; docs/performance.md). Behind a transaction pooler the
 * statements stay unnamed and are planned at each execution.
 */
export function createQueryPool(
  config: AppConfig,
  options: { name: string; max: number; genericPlans?: boolean; replica?: boolean },
): Pool {
  return new Pool({
    ...(options.replica ? { connectionString: config.DATABASE_READ_URL as string } : primaryConnection(config)),
    max: options.max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
    application_name: `seqpulse-${options.name}`,
    ...(options.genericPlans && sessionStateKept(config) ? { options: '-c plan_cache_mode=force_generic_plan' } : {}),
  });
}

/**
 * A dedicated session for `LISTEN` (a pooled connection would lose its subscriptions): never through a transaction
 * pooler. DATABASE_SESSION_URL may name several hosts (the Postgres nodes behind the poolers): the session then
 * follows the primary after a failover, as the pools do.
 */
export function createListenClient(config: AppConfig): Client {
  const options = { application_name: 'seqpulse-listen', keepAlive: true };
  const { connectionString, Client: LocatedClient = Client } = primaryConnection(
    config,
    (config.DATABASE_SESSION_URL ?? config.DATABASE_URL) as string,
  );
  return new LocatedClient({ ...options, connectionString });
}
