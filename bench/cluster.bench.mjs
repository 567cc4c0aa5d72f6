#!/usr/bin/env node
// Cluster benchmark (issue 17): collection lag and time-series latency with one process (role `all`, direct to
// Postgres) against 2 API + 2 worker processes through PgBouncer in transaction mode (LISTEN on a direct session),
// on the same database, targets and read load. Real parts: the built API and demo fleet, an embedded Postgres,
// Debian's PgBouncer (`apt-get install pgbouncer`; without it the benchmark says so and exits 0).
//
//   npx nx run-many -t build -p api demo-fleet && node bench/cluster.bench.mjs
//   BENCH_TARGETS=1000 BENCH_WINDOW_S=45 BENCH_ROUNDS=2 node bench/cluster.bench.mjs
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  ADMIN,
  cpuSeconds,
  freePort,
  freshDatabase,
  log,
  login,
  percentile,
  pollFigures,
  startApi,
  startFleet,
  startScratchPostgres,
} from './lib/harness.mjs';

const PGBOUNCER = process.env.SEQPULSE_TEST_PGBOUNCER ?? '/usr/sbin/pgbouncer';
const TARGETS = Number(process.env.BENCH_TARGETS ?? 1000);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 20);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 45);
/** Topologies alternate this many times, so a machine's drift does not favour one. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** Concurrent readers during the window (one API key each: the per-credential share is 2 in flight). */
const READERS = 4;
const RANGES = [
  { name: '1 h @ 15s', ms: 3_600_000, step: '15s' },
  { name: '24 h @ 60s', ms: 86_400_000, step: '60s' },
];

async function startPgBouncer(upstream) {
  const dir = mkdtempSync(join(tmpdir(), 'seqpulse-bench-pgbouncer-'));
  chmodSync(dir, 0o777); // as root PgBouncer runs as `postgres` and writes here
  const port = await freePort();
  const u = new URL(upstream);
  writeFileSync(join(dir, 'users.txt'), `"${u.username}" "${u.password}"\n`, { mode: 0o644 });
  const ini = ['[databases]', `* = host=${u.hostname} port=${u.port}`, '[pgbouncer]', 'listen_addr = 127.0.0.1', `listen_port = ${port}`];
  ini.push('unix_socket_dir =', 'auth_type = plain', `auth_file = ${join(dir, 'users.txt')}`, 'pool_mode = transaction');
  ini.push('max_client_conn = 1000', 'default_pool_size = 40', `logfile = ${join(dir, 'log')}`, `pidfile = ${join(dir, 'pid')}`, '');
  writeFileSync(join(dir, 'pgbouncer.ini'), ini.join('\n'), { mode: 0o644 });
  const args = process.getuid?.() === 0 ? ['-u', 'postgres', join(dir, 'pgbouncer.ini')] : [join(dir, 'pgbouncer.ini')];
  const child = spawn(PGBOUNCER, args, { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const routed = new URL(upstream);
  routed.port = String(port);
  return { url: routed.toString(), pid: child.pid, stop: () => child.kill('SIGTERM') };
}

async function setUp(db, fleetUrl) {
  const [{ id: ownerId }] = (await db.query(`SELECT id FROM users WHERE email = $1`, [ADMIN.email])).rows;
  await db.query(
    `INSERT INTO projects (owner_id, name, plan, envs, metrics_endpoint, poll_interval_s)
     SELECT $1, 'cluster-' || i, 'enterprise', ARRAY['prod'], $2 || '/targets/cluster-' || i || '/metrics', 15
       FROM generate_series(0, $3 - 1) AS i`,
    [ownerId, fleetUrl, TARGETS],
  );
  await db.query(`UPDATE rollout_settings SET stage = 'general'`);
  return (await db.query(`SELECT id FROM projects ORDER BY name`)).rows.map((r) => r.id);
}

async function apiKeys(url) {
  const token = await login(url, ADMIN.email, ADMIN.password);
  const keys = [];
  for (let k = 0; k < READERS; k++) {
    const res = await fetch(`${url}/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `cluster-bench-${Date.now()}-${k}`, scopes: ['monitoring:read'] }),
    });
    if (res.status !== 201) throw new Error(`api key: ${res.status} ${await res.text()}`);
    keys.push((await res.json()).key);
  }
  return keys;
}

/** Readers hit the API processes round-robin until `until`; latencies per range kind. */
async function readLoad(apiUrls, keys, projects, until) {
  const latencies = Object.fromEntries(RANGES.map((r) => [r.name, []]));
  let errors = 0;
  let n = 0;
  await Promise.all(
    keys.map(async (key, reader) => {
      while (Date.now() < until) {
        const range = RANGES[n % RANGES.length];
        const base = apiUrls[(n + reader) % apiUrls.length];
        n++;
        const project = projects[Math.floor(Math.random() * projects.length)];
        const to = new Date();
        const from = new Date(to.getTime() - range.ms);
        const t0 = performance.now();
        const res = await fetch(
          `${base}/monitoring/enterprise/timeseries?project_id=${project}&from=${from.toISOString()}&to=${to.toISOString()}&step=${range.step}`,
          { headers: { 'x-api-key': key } },
        );
        await res.arrayBuffer();
        if (res.status === 200) latencies[range.name].push(performance.now() - t0);
        else errors++;
      }
    }),
  );
  return { latencies, errors };
}

async function measure(name, db, processes, apiUrls, keys, projects) {
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const cpu0 = processes.reduce((s, p) => s + cpuSeconds(p.pid), 0);
  const t0 = new Date();
  const reads = await readLoad(apiUrls, keys, projects, Date.now() + WINDOW_S * 1000);
  const t1 = new Date();
  const cpu1 = processes.reduce((s, p) => s + cpuSeconds(p.pid), 0);
  const { lags, polls, ok } = await pollFigures(db, t0, t1);
  const result = {
    topology: name,
    polls,
    expected: Math.round((TARGETS * (t1 - t0)) / 15_000),
    ok_pct: polls ? (100 * ok) / polls : 0,
    lag_p50: percentile(lags, 50),
    lag_p99: percentile(lags, 99),
    seqpulse_cpu_pct: (100 * (cpu1 - cpu0)) / ((t1 - t0) / 1000),
    read_errors: reads.errors,
    reads: Object.fromEntries(
      Object.entries(reads.latencies).map(([k, v]) => [k, { n: v.length, p50: percentile(v, 50), p95: percentile(v, 95) }]),
    ),
  };
  log(JSON.stringify(result));
  return result;
}

async function main() {
  if (!existsSync(PGBOUNCER)) {
    console.log(`PgBouncer not found at ${PGBOUNCER}: apt-get install pgbouncer (or set SEQPULSE_TEST_PGBOUNCER). Skipped.`);
    return;
  }
  const server = await startScratchPostgres('seqpulse-cluster-bench-');
  const direct = await freshDatabase(server.url, 'cluster');
  const fleet = await startFleet();
  const bouncer = await startPgBouncer(direct);
  const db = new pg.Client({ connectionString: direct });
  const common = { SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' };
  const results = [];
  try {
    // The schema, the administrator and the targets, once.
    const first = await startApi(direct, { ...common, SEQPULSE_ROLE: 'api' });
    await db.connect();
    const projects = await setUp(db, fleet.url);
    const keys = await apiKeys(first.url);
    await first.stop();
    for (let round = 0; round < ROUNDS; round++) {
      log(`round ${round + 1}: one process (role all), direct`);
      const single = await startApi(direct, { ...common, SEQPULSE_ROLE: 'all' });
      results.push(await measure('1 process, direct', db, [single], [single.url], keys, projects));
      await single.stop();

      log(`round ${round + 1}: 2 API + 2 worker processes through PgBouncer (transaction mode)`);
      const pooled = { ...common, DATABASE_POOL_MODE: 'transaction', DATABASE_SESSION_URL: direct };
      const procs = await Promise.all([
        startApi(bouncer.url, { ...pooled, SEQPULSE_ROLE: 'api' }),
        startApi(bouncer.url, { ...pooled, SEQPULSE_ROLE: 'api' }),
        startApi(bouncer.url, { ...pooled, SEQPULSE_ROLE: 'worker' }),
        startApi(bouncer.url, { ...pooled, SEQPULSE_ROLE: 'worker' }),
      ]);
      results.push(await measure('2 API + 2 workers, PgBouncer', db, procs, [procs[0].url, procs[1].url], keys, projects));
      await Promise.all(procs.map((p) => p.stop()));
    }
  } finally {
    await db.end().catch(() => undefined);
    bouncer.stop();
    fleet.stop();
    await server.stop();
  }
  console.log(`\n${TARGETS} targets at 15 s, ${READERS} readers during a ${WINDOW_S} s window (after ${WARMUP_S} s warm-up)\n`);
  console.log(
    '| topology | polls (expected) | ok % | lag p50 | lag p99 | ' +
      RANGES.map((r) => `${r.name} p50 / p95 (n)`).join(' | ') +
      ' | SeqPulse CPU |',
  );
  console.log('|---|---|---|---|---|' + RANGES.map(() => '---|').join('') + '---|');
  for (const r of results) {
    const reads = RANGES.map((x) => `${r.reads[x.name].p50.toFixed(0)} / ${r.reads[x.name].p95.toFixed(0)} ms (${r.reads[x.name].n})`);
    console.log(
      `| ${r.topology} | ${r.polls} (${r.expected}) | ${r.ok_pct.toFixed(1)} | ${r.lag_p50} ms | ${r.lag_p99} ms | ${reads.join(' | ')} | ${r.seqpulse_cpu_pct.toFixed(0)} % |`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
