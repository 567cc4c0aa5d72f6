import { createHash } from 'node:crypto';
import type { PoolClient, QueryConfig } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { sessionStateKept } from './connections';

/**
 * The hot statements of the worker (the poll claim and completion several times a second, the evaluation of the
 * alerts of arriving samples) run as named prepared statements: Postgres parses and plans each once per
 * connection instead of at every execution. Planning the evaluation statement cost ~6× running it for a few envs
 * (docs/performance.md, "Against Prometheus on one fleet"). Behind a transaction pooler
 * (`DATABASE_POOL_MODE=transaction`) a named statement may not exist on the server connection the next execution
 * lands on, so there they stay unnamed and are planned at each execution.
 */
export class PreparedStatements {
  private readonly names = new Map<string, string>();
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
    const client = (runner as unknown as { databaseConnection: PoolClient }).databaseConnection;
    const result = await client.query(this.statement(sql, params));
    return result.rows as T[];
  }

  /** Rows of `sql` on a connection of the pool (any statement: the rows of `UPDATE … RETURNING` too). */
  async rows<T>(db: DataSource, sql: string, params: unknown[]): Promise<T[]> {
    const runner = db.createQueryRunner();
    try {
      await runner.connect();
      return await this.onRunner<T>(runner, sql, params);
    } finally {
      await runner.release();
    }
  }

  /** The query of `sql` with `params` for any pg client or pool: named (prepared once per connection) when statements are. */
  statement(sql: string, params: unknown[]): QueryConfig {
    return { name: this.nameOf(sql), text: sql, values: params };
  }

  /** A name per statement text (the same text always gets the same name in every process and connection). */
  private nameOf(sql: string): string | undefined {
    if (!this.named) return undefined;
    let name = this.names.get(sql);
    if (!name) this.names.set(sql, (name = `sp_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`));
    return name;
  }
}
