import { DataSource } from 'typeorm';
import { ADVISORY_LOCKS } from './advisory-locks';

// Shared by all SeqPulse processes: serialises migrations when several start at once.
const MIGRATION_LOCK_KEY = ADVISORY_LOCKS.migrations;

/** Applies pending migrations under an advisory lock; a no-op when the schema is current. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}
