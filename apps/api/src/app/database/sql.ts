import { DataSource } from 'typeorm';

/**
 * Rows of any statement. `DataSource.query` returns `[rows, affected]` for UPDATE/DELETE … RETURNING
 * on Postgres, and plain rows otherwise; this always returns the rows.
 */
export async function queryRows<T = Record<string, unknown>>(db: DataSource, sql: string, params: unknown[] = []): Promise<T[]> {
  const runner = db.createQueryRunner();
  try {
    const result = await runner.query(sql, params, true);
    return result.records as T[];
  } finally {
    await runner.release();
  }
}
