import { Logger } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';

export interface DatabaseHost {
  host: string;
  port: number;
}

/** How long one host may take to answer the probe before the next one is tried. */
const PROBE_TIMEOUT_MS = 3_000;
/**
 * After a search that found no writable host, the next one waits (doubling, capped): while a failover is under way
 * (tens of seconds) every failed connection of every pool asks for a search, and they all share the pending one.
 */
const SEARCH_BACKOFF_MIN_MS = 250;
const SEARCH_BACKOFF_MAX_MS = 2_000;

/**
 * `postgres://user:pw@host1:5432,host2:5432/db?…` (libpq's multi-host form, which node-postgres does not read):
 * the hosts in order, and a template URL to which one host is put back.
 */
export function parseMultiHostUrl(url: string): { hosts: DatabaseHost[]; urlFor: (host: DatabaseHost) => string } {
  const match = /^([a-z]+:\/\/)([^@/?]*@)?([^/?]*)(.*)$/i.exec(url);
  if (!match) throw new Error('DATABASE_URL is not a postgres:// URL');
  const [, scheme, auth = '', hostList, rest] = match;
  const hosts = hostList.split(',').map((entry) => {
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry); // [::1]:5432
    const [host, port] = bracketed ? [bracketed[1], bracketed[2]] : (entry.split(':') as [string, string | undefined]);
    return { host, port: Number(port ?? 5432) };
  });
  const urlFor = ({ host, port }: DatabaseHost) => `${scheme}${auth}${host.includes(':') ? `[${host}]` : host}:${port}${rest}`;
  return { hosts, urlFor };
}

/**
 * Finds the writable node among the hosts of a multi-host DATABASE_URL, as libpq's
 * `target_session_attrs=read-write` does (`SHOW transaction_read_only` = off), and finds it again after a
 * failover. Every connection SeqPulse opens is a `clientClass()` client: it connects to the node found last,
 * checks that it is still writable, and asks for a new search when it is not or when its connection fails, so
 * pools, the stream listener and lock holders all move to the new primary as they reconnect.
 */
export class PrimaryLocator {
  private readonly logger = new Logger(PrimaryLocator.name);
  private readonly hosts: DatabaseHost[];
  private readonly urlFor: (host: DatabaseHost) => string;
  private current: DatabaseHost;
  private search: Promise<DatabaseHost> | null = null;
  /** Searches that moved to another node after the first one found the primary (failovers seen by this process). */
  moves = 0;
  private located = false;
  private failedSearches = 0;

  constructor(url: string) {
    ({ hosts: this.hosts, urlFor: this.urlFor } = parseMultiHostUrl(url));
    this.current = this.hosts[0];
  }

  get multiHost(): boolean {
    return this.hosts.length > 1;
  }

  /** The URL of the node in use (a single-host URL every driver reads). */
  get url(): string {
    return this.urlFor(this.current);
  }

  /**
   * Probes the hosts in order, the current one first, and keeps the first writable one. One search at a time; a
   * failed one is shared by the callers of its backoff period.
   */
  locate(): Promise<DatabaseHost> {
    this.search ??= this.probeAll()
      .then(
        (host) => ((this.failedSearches = 0), host),
        async (error) => {
          const backoff = Math.min(SEARCH_BACKOFF_MAX_MS, SEARCH_BACKOFF_MIN_MS * 2 ** this.failedSearches++);
          await new Promise((resolve) => setTimeout(resolve, backoff).unref());
          throw error;
        },
      )
      .finally(() => (this.search = null));
    return this.search;
  }

  /** A pg Client class bound to this locator (pass as `Client` to a Pool, or construct it directly). */
  clientClass(): typeof Client {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const locator = this;
    return class LocatedClient extends Client {
      constructor(config?: ClientConfig) {
        super({ ...config, connectionString: locator.url });
        this.on('error', () => void locator.locate().catch(() => undefined));
      }

      // pg-pool connects with a callback, TypeORM and our own code with the promise.
      override connect(): Promise<Client>;
      override connect(callback: (err: Error | null) => void): void;
      override connect(callback?: (err: Error | null) => void): Promise<Client> | void {
        const connected = this.connectToPrimary().then(() => this as Client);
        if (!callback) return connected;
        connected.then(() => callback(null), callback);
      }

      private async connectToPrimary(): Promise<void> {
        try {
          await super.connect();
        } catch (error) {
          void locator.locate().catch(() => undefined);
          throw error;
        }
        const { rows } = await super.query('SHOW transaction_read_only');
        if (rows[0]?.transaction_read_only === 'on') {
          // A demoted primary or a standby: this connection is refused, the next one goes where the search says.
          void locator.locate().catch(() => undefined);
          await this.end().catch(() => undefined);
          throw Object.assign(new Error('connected to a read-only node; searching for the primary'), { code: '25006' });
        }
      }
    } as unknown as typeof Client;
  }

  private async probeAll(): Promise<DatabaseHost> {
    const order = [this.current, ...this.hosts.filter((h) => h !== this.current)];
    for (const host of order) {
      if (await this.writable(host)) {
        if (host !== this.current && this.located) {
          this.moves++;
          this.logger.warn({ host: host.host, port: host.port }, 'Database primary found on another host; reconnecting there');
        }
        this.current = host;
        this.located = true;
        return host;
      }
    }
    throw new Error('No writable database host among DATABASE_URL’s hosts');
  }

  private async writable(host: DatabaseHost): Promise<boolean> {
    const client = new Client({ connectionString: this.urlFor(host), connectionTimeoutMillis: PROBE_TIMEOUT_MS });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const { rows } = await client.query('SHOW transaction_read_only');
      return rows[0]?.transaction_read_only === 'off';
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
