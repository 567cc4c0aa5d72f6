import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/** Debian's package (`apt-get install pgbouncer`; `.ci/run` installs it). */
export const PGBOUNCER_BINARY = process.env.SEQPULSE_TEST_PGBOUNCER ?? '/usr/sbin/pgbouncer';

/**
 * A real PgBouncer in transaction mode in front of the integration Postgres, the usual production set-up:
 * consecutive transactions of one client may run on different server connections.
 */
export class PgBouncer {
  private child?: ChildProcess;
  port = 0;

  constructor(private readonly upstream: URL) {}

  async start(): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'seqpulse-pgbouncer-'));
    chmodSync(dir, 0o777); // PgBouncer refuses to run as root: as root it runs as `postgres` and writes here
    this.port = await freePort();
    const user = decodeURIComponent(this.upstream.username);
    writeFileSync(join(dir, 'users.txt'), `"${user}" "${decodeURIComponent(this.upstream.password)}"\n`, { mode: 0o644 });
    writeFileSync(
      join(dir, 'pgbouncer.ini'),
      [
        '[databases]',
        `* = host=${this.upstream.hostname} port=${this.upstream.port}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${this.port}`,
        'unix_socket_dir =',
        'auth_type = plain',
        `auth_file = ${join(dir, 'users.txt')}`,
        'pool_mode = transaction',
        'max_client_conn = 1000',
        'default_pool_size = 40',
        `logfile = ${join(dir, 'pgbouncer.log')}`,
        `pidfile = ${join(dir, 'pgbouncer.pid')}`,
        '',
      ].join('\n'),
      { mode: 0o644 },
    );
    const args = process.getuid?.() === 0 ? ['-u', 'postgres', join(dir, 'pgbouncer.ini')] : [join(dir, 'pgbouncer.ini')];
    this.child = spawn(PGBOUNCER_BINARY, args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    while (!(await this.accepting())) {
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`PgBouncer did not start (see ${dir}/pgbouncer.log)`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The same database, reached through PgBouncer. */
  route(databaseUrl: string): string {
    const url = new URL(databaseUrl);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** SIGINT: a clean stop; SIGKILL: the pooler's machine is lost (the failover drill). */
  async stop(signal: 'SIGINT' | 'SIGKILL' = 'SIGINT'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  private accepting(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(this.port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
  }
}

export const pgbouncerInstalled = (): boolean => existsSync(PGBOUNCER_BINARY);
