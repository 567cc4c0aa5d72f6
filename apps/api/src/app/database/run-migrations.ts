import { DataSource } from 'typeorm';
import { ADVISORY_LOCKS } from './advisory-locks';

// Shared by all SeqPulse processes: serialises migrations when several start at once.
const MIGRATION_LOCK_KEY = ADVISORY_LOCKS.migrations;

/** Applies pending migrations under an advisory lock; a no-op when the schema is current. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    // Held by an open transaction rather than the session, so it also works through a transaction pooler; the
    // migrations themselves run in transactions of their own on other connections.
    await runner.startTransaction();
    await runner.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    if (runner.isTransactionActive) await runner.commitTransaction().catch(() => undefined);
    await runner.release();
  }
}
