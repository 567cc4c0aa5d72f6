import { createHash } from 'node:crypto';
import * as pg from 'pg';
import type { PoolClient, QueryConfig, QueryResult } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { sessionStateKept } from './connections';

/** A parameterised statement, as a module hands it to a caller that runs several in one round trip. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** The statements prepared at SQL level (`PREPARE`) on each connection: a namespace apart from the protocol's. */
const preparedBySql = new WeakMap<PoolClient, Set<string>>();

/** pg's own conversion of a parameter to its text form (exported as `utils`; not in its type definitions). */
const { prepareValue } = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils;

/** A parameter as an SQL literal, converted as pg converts it for the protocol (arrays, dates, booleans). */
function literal(value: unknown): string {
  const text = prepareValue(value);
  if (text === null || text === undefined) return 'NULL';
  if (typeof text !== 'string') throw new TypeError('A statement run with others takes no binary parameter');
  return pg.escapeLiteral(text);
}

/**
 * The hot statements of the worker (the poll claim and completion several times a second, the evaluation of the
 * alerts of arriving samples) run as named prepared statements: Postgres parses and plans each once per
 * connection instead of at every execution. Planning the evaluation statement cost ~6× running it for a few envs
 * (docs/performance.md, "Against Prometheus on one fleet"). Behind a transaction pooler
 * (`DATABASE_POOL_MODE=transaction`) a named statement may not exist on the server connection the next execution
 * lands on, so there they stay unnamed and are planned at each execution.
 */
export class PreparedStatements {
  private readonly hashes = new Map<string, string>();
  private readonly named: boolean;

  constructor(config: AppConfig) {
    this.named = sessionStateKept(config);
  }

  /** Whether statements are named (a session pool): `SET LOCAL plan_cache_mode` is then worth sending. */
  get enabled(): boolean {
    return this.named;
  }

  /** Rows of `sql` on the connection of `runner`, which must be connected (a transaction's runner). */
  async onRunner<T>(runner: QueryRunner, sql: string, params: unknown[]): Promise<T[]> {
    const result = await connectionOf(runner).query(this.statement(sql, params));
    return result.rows as T[];
  }

  /** Rows of `sql` on a connection of the pool (any statement: the rows of `UPDATE … RETURNING` too). */
  async rows<T>(db: DataSource, sql: string, params: unknown[]): Promise<T[]> {
    return onPoolConnection(db, (runner) => this.onRunner<T>(runner, sql, params));
  }

  /**
   * Runs `parts` in order in ONE round trip where statements are named: a simple query of the raw statements and of
   * an `EXECUTE` of each parameterised one (prepared at SQL level by a round trip of its own the first time on the
   * connection; its parameters sent as literals, converted as pg converts them). Postgres runs such a query as one
   * transaction unless its statements start one, and stops at the first error. Each round trip saved is a socket
   * write and a wake-up of both processes (~0.3–0.6 ms of CPU with a commit, docs/performance.md, "Ninth round").
   * Behind a transaction pooler the parts run one after the other (the SQL-level statements would not persist).
   * Returns each part's rows.
   */
  async together(client: PoolClient, parts: readonly (string | Statement)[]): Promise<unknown[][]> {
    if (parts.length === 0) return [];
    if (!this.named) {
      const rows: unknown[][] = [];
      for (const part of parts) {
        const query = typeof part === 'string' ? part : this.statement(part.sql, part.params);
        rows.push((await client.query(query)).rows);
      }
      return rows;
    }
    let prepared = preparedBySql.get(client);
    if (!prepared) preparedBySql.set(client, (prepared = new Set()));
    const text: string[] = [];
    for (const part of parts) {
      if (typeof part === 'string') {
        text.push(part);
        continue;
      }
      const name = `sx_${this.hashOf(part.sql)}`;
      if (!prepared.has(name)) {
        await client.query(`PREPARE ${name} AS ${part.sql}`);
        prepared.add(name);
      }
      text.push(part.params.length ? `EXECUTE ${name}(${part.params.map(literal).join(', ')})` : `EXECUTE ${name}`);
    }
    const results = (await client.query(text.join(';\n'))) as unknown as QueryResult | QueryResult[];
    return (Array.isArray(results) ? results : [results]).map((r) => r.rows);
  }

  /** `together` on a connection of the pool. */
  async togetherOnPool(db: DataSource, parts: readonly (string | Statement)[]): Promise<unknown[][]> {
    return onPoolConnection(db, (runner) => this.together(connectionOf(runner), parts));
  }

  /** The query of `sql` with `params` for any pg client or pool: named (prepared once per connection) when statements are. */
  statement(sql: string, params: unknown[]): QueryConfig {
    return { name: this.nameOf(sql), text: sql, values: params };
  }

  /** A name per statement text (the same text always gets the same name in every process and connection). */
  private nameOf(sql: string): string | undefined {
    return this.named ? `sp_${this.hashOf(sql)}` : undefined;
  }

  /** The statement text's hash, computed once per text. */
  private hashOf(sql: string): string {
    let hash = this.hashes.get(sql);
    if (!hash) this.hashes.set(sql, (hash = createHash('sha1').update(sql).digest('hex').slice(0, 24)));
    return hash;
  }
}

/** The pg connection of a connected TypeORM query runner. */
export function connectionOf(runner: QueryRunner): PoolClient {
  return (runner as unknown as { databaseConnection: PoolClient }).databaseConnection;
}

/** `work` on a connection of the pool, released afterwards. */
async function onPoolConnection<T>(db: DataSource, work: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner();
  try {
    await runner.connect();
    return await work(runner);
  } finally {
    await runner.release();
  }
}
