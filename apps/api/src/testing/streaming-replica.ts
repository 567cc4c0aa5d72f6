import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';

/** Debian's Postgres 15 (`apt-get install postgresql-15`; `.ci/run` installs it): it ships pg_basebackup. */
export const POSTGRES_BIN = process.env.SEQPULSE_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export function streamingReplicationAvailable(): boolean {
  return ['initdb', 'postgres', 'pg_basebackup'].every((tool) => existsSync(join(POSTGRES_BIN, tool)));
}

/** Postgres refuses to run as root: as root, the servers run as the `postgres` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres']).toString().trim()));
  return { uid, gid };
}

async function waitAccepting(url: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline || server.exitCode !== null) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface StreamingPair {
  primaryUrl(database: string): string;
  replicaUrl(database: string): string;
  /** Stops the replica server (a replica failure). */
  stopReplica(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real primary and a real streaming replica (pg_basebackup -R), trust authentication on loopback, for tests
 * of reads from a replica.
 */
export async function startStreamingPair(): Promise<StreamingPair> {
  const dir = mkdtempSync(join(tmpdir(), 'seqpulse-replication-'));
  chmodSync(dir, 0o755);
  const owner = runAs();
  const spawnOptions = { ...(owner ?? {}), stdio: 'ignore' as const };
  const primaryDir = join(dir, 'primary');
  const replicaDir = join(dir, 'replica');
  for (const d of [primaryDir, replicaDir]) {
    mkdirSync(d, { mode: 0o700 });
    if (owner) chownSync(d, owner.uid, owner.gid);
  }
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const run = (tool: string, args: string[]) => execFileSync(join(POSTGRES_BIN, tool), args, { ...(owner ?? {}), stdio: 'ignore' });
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const url = (port: number, database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const serve = (dataDir: string, port: number) =>
    spawn(
      join(POSTGRES_BIN, 'postgres'),
      ['-D', dataDir, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'wal_level=replica'],
      spawnOptions,
    );

  run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '--no-sync']);
  const primary = serve(primaryDir, primaryPort);
  await waitAccepting(url(primaryPort, 'postgres'), primary);
  run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', replicaDir, '-R', '-X', 'stream']);
  const replica = serve(replicaDir, replicaPort);
  await waitAccepting(url(replicaPort, 'postgres'), replica);

  const stopServer = (server: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (server.exitCode !== null || server.signalCode !== null) return resolve();
      server.once('exit', () => resolve());
      server.kill('SIGINT'); // fast shutdown
    });
  return {
    primaryUrl: (database) => url(primaryPort, database),
    replicaUrl: (database) => url(replicaPort, database),
    stopReplica: () => stopServer(replica),
    stop: async () => {
      await stopServer(replica);
      await stopServer(primary);
    },
  };
}
