#!/usr/bin/env node
// Collection benchmark (issue 3): how many targets one worker process keeps at a 15 s interval, with its
// schedule lag, CPU per 1,000 polls and memory, as targets grow; then the store's batched insert rate.
// Real parts: the built API (`dist/apps/api/main.js`, role `all`), the built demo fleet as the targets
// (its own process), an embedded Postgres. Figures go to stdout.
//
//   npx nx run-many -t build -p api demo-fleet && node bench/collection.bench.mjs
//   BENCH_TARGETS=100,1000 BENCH_WINDOW_S=30 node bench/collection.bench.mjs     # quick
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { freshDatabase, log, percentile, pollFigures, startApi, startFleet, startPostgres } from './lib/harness.mjs';

process.env.BENCH_PG_DIR ??= '/tmp/seqpulse-collection-bench-pg';
const SIZES = (process.env.BENCH_TARGETS ?? '100,1000,5000,10000').split(',').map(Number);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 20);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 45);
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString().trim() || 100);

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime + stime
}
function rssMb(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS'));
  return Number(line.split(/\s+/)[1]) / 1024;
}

/** Adds enterprise projects up to `total`, one `prod` env each, all in the (general) rollout. */
async function growTargets(db, ownerId, fleetUrl, total) {
  await db.query(
    `INSERT INTO projects (owner_id, name, plan, envs, metrics_endpoint, poll_interval_s)
     SELECT $1, 'bench-' || i, 'enterprise', ARRAY['prod'], $2 || '/targets/bench-' || i || '/metrics', 15
       FROM generate_series((SELECT count(*) FROM projects)::int, $3 - 1) AS i`,
    [ownerId, fleetUrl, total],
  );
}

async function measure(db, api, targets) {
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const cpu0 = cpuSeconds(api.pid);
  const t0 = new Date();
  await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
  const cpu1 = cpuSeconds(api.pid);
  const t1 = new Date();
  const { lags, polls, ok } = await pollFigures(db, t0, t1);
  const expected = (targets * WINDOW_S) / 15;
  return {
    targets,
    polls,
    expected: Math.round(expected),
    succeeded_pct: polls ? (100 * ok) / polls : 0,
    lag_p50_ms: percentile(lags, 50),
    lag_p99_ms: percentile(lags, 99),
    lag_max_ms: Math.max(...lags),
    cpu_s_per_1000_polls: polls ? ((cpu1 - cpu0) / polls) * 1000 : NaN,
    worker_cpu_pct: (100 * (cpu1 - cpu0)) / ((t1 - t0) / 1000),
    rss_mb: rssMb(api.pid),
  };
}

async function main() {
  const server = await startPostgres();
  const url = await freshDatabase(server.url, 'collect');
  const fleet = await startFleet();
  const api = await startApi(url, { SEQPULSE_ROLE: 'all', SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const [{ id: ownerId }] = (await db.query(`SELECT id FROM users LIMIT 1`)).rows;
  await db.query(`UPDATE rollout_settings SET stage = 'general'`);
  const results = [];
  try {
    for (const size of SIZES) {
      log(`${size} targets…`);
      await growTargets(db, ownerId, fleet.url, size);
      const r = await measure(db, api, size);
      results.push(r);
      log(JSON.stringify(r));
    }
  } finally {
    await db.end();
    await api.stop();
    fleet.stop();
    await server.stop();
  }
  console.log(
    '\n| targets | polls in window (expected) | ok % | lag p50 | lag p99 | lag max | CPU s / 1,000 polls | worker CPU | worker RSS |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.targets} | ${r.polls} (${r.expected}) | ${r.succeeded_pct.toFixed(1)} | ${r.lag_p50_ms} ms | ${r.lag_p99_ms} ms | ${r.lag_max_ms} ms | ${r.cpu_s_per_1000_polls.toFixed(2)} | ${r.worker_cpu_pct.toFixed(0)} % | ${r.rss_mb.toFixed(0)} MB |`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
