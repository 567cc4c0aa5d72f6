#!/usr/bin/env node
// SeqPulse against Prometheus on one simulated fleet (issue 16): collection CPU per 1,000 polls, memory, bytes per
// stored 5-metric sample, query CPU and latency, and the fire/resolve moments of the contract's rules on a
// scripted incident, both systems running at once against the same targets (bench/lib/dual-fleet.mjs: identical
// values per 15 s slot, as SeqPulse JSON and as Prometheus text).
// Uses Debian's Prometheus when present (`apt-get install prometheus`); installs nothing; without it, says so
// and exits 0.
//
//   npx nx build api && node bench/vs-prometheus.bench.mjs
//   BENCH_TARGETS=1000 BENCH_WARMUP_S=60 BENCH_INCIDENT_S=180 BENCH_TAIL_S=300 BENCH_QUERIES=100 node bench/vs-prometheus.bench.mjs
//
// Queries read targets that have a past day of history in both systems (BENCH_HISTORY_TARGETS, written before the
// start: Prometheus blocks built by Debian's `promtool` from the fleet's model, the same values in SeqPulse's
// samples table), so "24 h @ 60s" reads a whole day. Query CPU is net of each system's background work (its CPU
// rate measured just before, without queries, times the duration), at 1 client and at 20 concurrent clients.
// BENCH_PRIOR_MIN=60 gives every other target the hour before the start the same way, so the collection figures are
// those of a running system rather than of empty databases (docs/performance.md, "Eleventh round").
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import {
  ADMIN,
  cpuSeconds,
  createApiKeys,
  freePort,
  freshDatabase,
  log,
  login,
  percentile,
  pollFigures,
  postgresCpuByKind,
  postgresCpuSeconds,
  ROOT,
  startApi,
  startScratchPostgres,
} from './lib/harness.mjs';
import { fleetValues, SLOT_MS } from './lib/fleet-values.mjs';

const PROMETHEUS = process.env.BENCH_PROMETHEUS ?? '/usr/bin/prometheus';
const TARGETS = Number(process.env.BENCH_TARGETS ?? 1000);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 60);
/** The error-rate incident on target 0 lasts this long; target 1 is down (503) for no_data's 5 minutes + 1. */
const INCIDENT_S = Number(process.env.BENCH_INCIDENT_S ?? 180);
const OUTAGE_S = Number(process.env.BENCH_OUTAGE_S ?? 360);
/** After the incidents end, until both systems resolved. */
const TAIL_S = Number(process.env.BENCH_TAIL_S ?? 300);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 100);
/** Collection and alerts only: no history day, no storage or query phase (a run of ~8 minutes at the shortened settings). */
const COLLECTION_ONLY = process.env.BENCH_COLLECTION_ONLY === '1';
/** Targets t2 … t(1 + HISTORY_TARGETS) have the day before the start in both systems; the queries read them. */
const HISTORY_TARGETS = COLLECTION_ONLY ? 0 : Number(process.env.BENCH_HISTORY_TARGETS ?? 20);
const HISTORY_MS = 86_400_000;
/**
 * Every other target has the last BENCH_PRIOR_MIN minutes before the start in both systems (default 0): a running
 * system's reads meet an hour or more of samples, which empty databases would hide from the collection figures.
 */
const PRIOR_MS = Number(process.env.BENCH_PRIOR_MIN ?? 0) * 60_000;
const CLIENTS = [1, 20];
/** Background CPU rate of each system is measured over this long before each query series. */
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 10);
const PROMTOOL = join(PROMETHEUS, '..', 'promtool');
const METRICS = ['requests_per_sec', 'latency_p95', 'error_rate', 'cpu_usage', 'memory_usage'];
/** The contract's rules in PromQL: 5-minute means above the default thresholds; no sample for 5 minutes. */
const RULES = {
  error_rate_high: 'avg_over_time(error_rate[5m]) > 0.01',
  latency_p95_high: 'avg_over_time(latency_p95[5m]) > 500',
  cpu_high: 'avg_over_time(cpu_usage[5m]) > 0.8',
  memory_high: 'avg_over_time(memory_usage[5m]) > 0.85',
  no_data: 'max_over_time(up[5m]) == 0',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
/** Sessions opened in the database so far, and autovacuum / autoanalyze runs of its tables. */
async function postgresChurn(db) {
  const { rows } = await db.query(
    `SELECT (SELECT sessions FROM pg_stat_database WHERE datname = current_database())::int AS sessions,
            (SELECT sum(autovacuum_count) FROM pg_stat_all_tables)::int AS autovacuums,
            (SELECT sum(autoanalyze_count) FROM pg_stat_all_tables)::int AS autoanalyzes`,
  );
  return rows[0];
}

function duBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? duBytes(path) : statSync(path).size;
  }
  return total;
}

async function startChild(cmd, args, readyUrl) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.resume();
  child.stderr.resume();
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${cmd} exited with ${child.exitCode}`);
    try {
      if ((await fetch(readyUrl)).ok) return child;
    } catch {
      /* starting */
    }
    await sleep(100);
  }
  throw new Error(`${cmd} did not start`);
}

/** The 15 s slots of the `spanMs` ending at `endMs` (slot start times, epoch ms); by default the history day. */
function historySlots(endMs, spanMs = HISTORY_MS) {
  const slots = [];
  for (let t = Math.ceil((endMs - spanMs) / SLOT_MS) * SLOT_MS; t < endMs; t += SLOT_MS) slots.push(t);
  return slots;
}
const historyTargets = () => Array.from({ length: Math.min(HISTORY_TARGETS, TARGETS - 2) }, (_, k) => 2 + k);
/** What each target has before the start: the history targets their day, the others the prior minutes (if any). */
function backfillPlan(endMs) {
  const history = new Set(historyTargets());
  const day = historySlots(endMs);
  const prior = historySlots(endMs, PRIOR_MS);
  return Array.from({ length: TARGETS }, (_, i) => ({ i, slots: history.has(i) ? day : prior })).filter((p) => p.slots.length > 0);
}

/**
 * The backfill plan as Prometheus blocks: OpenMetrics text of the same series the scrapes create (labels job,
 * instance, target), turned into blocks of the data directory by `promtool tsdb create-blocks-from openmetrics`.
 */
function backfillPrometheus(dir, fleetPort, endMs) {
  const plan = backfillPlan(endMs);
  if (plan.length === 0) return;
  const lines = [];
  for (const m of METRICS) {
    lines.push(`# TYPE ${m} gauge`);
    for (const { i, slots } of plan) {
      const labels = `{instance="127.0.0.1:${fleetPort}",job="fleet",target="t${i}"}`;
      for (const t of slots) lines.push(`${m}${labels} ${fleetValues(i, t)[m]} ${t / 1000}`);
    }
  }
  lines.push('# EOF', '');
  writeFileSync(join(dir, 'history.om'), lines.join('\n'));
  execFileSync(PROMTOOL, ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'history.om'), join(dir, 'data')], { stdio: 'ignore' });
}

/** The same plan in SeqPulse's samples (slot = collection time; the insert trigger marks the minutes for the rollups). */
async function backfillSeqpulse(db, projectIds, endMs) {
  const plan = backfillPlan(endMs);
  if (plan.length === 0) return;
  await db.query(`SELECT pg_advisory_lock(7301002)`);
  try {
    for (let day = Math.floor((endMs - HISTORY_MS) / 86_400_000) * 86_400_000; day < endMs; day += 86_400_000) {
      const name = `samples_${new Date(day).toISOString().slice(0, 10).replace(/-/g, '')}`;
      await db.query(
        `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF samples FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + 86_400_000).toISOString()}')`,
      );
    }
  } finally {
    await db.query(`SELECT pg_advisory_unlock(7301002)`);
  }
  // In time order, as the collector writes them (every target's sample of a slot within one flush): written target
  // by target, each BRIN range of `collected_at` spanned the whole history, and the alert window's scan read all of it
  // while the window overlapped the history's last minutes.
  const rows = plan.flatMap(({ i, slots }) => slots.map((t) => ({ i, t }))).sort((a, b) => a.t - b.t || a.i - b.i);
  const perInsert = 20_000;
  for (let start = 0; start < rows.length; start += perInsert) {
    const chunk = rows.slice(start, start + perInsert);
    const values = chunk.map(({ i, t }) => fleetValues(i, t));
    await db.query(
      `INSERT INTO samples (project_id, env, phase, slot_at, collected_at, ${METRICS.join(', ')})
       SELECT u.project_id, 'prod', 'pre', to_timestamp(u.t / 1000.0), to_timestamp(u.t / 1000.0), ${METRICS.map((m) => `u.${m}`).join(', ')}
         FROM unnest($1::uuid[], $2::float8[], ${METRICS.map((_, k) => `$${k + 3}::float8[]`).join(', ')}) AS u(project_id, t, ${METRICS.join(', ')})`,
      [chunk.map(({ i }) => projectIds[i]), chunk.map(({ t }) => t), ...METRICS.map((m) => values.map((v) => v[m]))],
    );
  }
}

/** The prior minutes' rollups are made by the worker's catch-up before the warm-up, not inside the measured window. */
async function rollupsCaughtUp(db, endMs) {
  const started = Date.now();
  for (;;) {
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM samples_rollup_pending WHERE minute < $1`, [new Date(endMs)])).rows;
    if (n === 0) return log(`prior minutes rolled up in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (Date.now() - started > 600_000) throw new Error(`rollups of the prior minutes not caught up after 10 minutes (${n} left)`);
    await sleep(1000);
  }
}

async function startPrometheus(fleetPort, historyEndMs) {
  const dir = mkdtempSync(join(tmpdir(), 'seqpulse-vs-prometheus-'));
  backfillPrometheus(dir, fleetPort, historyEndMs);
  const port = await freePort();
  const targets = Array.from(
    { length: TARGETS },
    (_, i) => `    - targets: ['127.0.0.1:${fleetPort}']\n      labels: { __metrics_path__: '/t/${i}/metrics', target: 't${i}' }`,
  );
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 15s, evaluation_interval: 15s, scrape_timeout: 10s }',
      `rule_files: ['${join(dir, 'rules.yml')}']`,
      'scrape_configs:',
      '  - job_name: fleet',
      '    static_configs:',
      ...targets,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'rules.yml'),
    [
      'groups:',
      '  - name: contract',
      '    rules:',
      ...Object.entries(RULES).map(([name, expr]) => `      - alert: ${name}\n        expr: ${expr}`),
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}`;
  const child = await startChild(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-admin-api',
      '--storage.tsdb.retention.time=3d',
    ],
    `${url}/-/ready`,
  );
  return { url, pid: child.pid, dataDir: join(dir, 'data'), stop: () => child.kill('SIGTERM') };
}

/** A counter of Prometheus' own /metrics (summed over its label sets): it does not scrape itself here. */
async function promSelf(url, name) {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

async function promQuery(url, path, params) {
  const res = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
  if (!res.ok) throw new Error(`prometheus ${path}: ${res.status}`);
  return (await res.json()).data;
}

/** Polls both systems' alerts every 2 s; records when each (rule, target) fired and resolved. */
function watchAlerts(prom, db, projectIds) {
  const seen = { prometheus: {}, seqpulse: {} };
  const note = (system, key, state, at) => {
    seen[system][key] ??= {};
    seen[system][key][state] ??= at;
  };
  let stop = false;
  const done = (async () => {
    while (!stop) {
      const now = Date.now();
      const firing = new Set();
      for (const a of (await promQuery(prom.url, '/api/v1/alerts', {})).alerts) {
        if (a.state !== 'firing') continue;
        const key = `${a.labels.alertname} ${a.labels.target}`;
        firing.add(key);
        note('prometheus', key, 'fired', now);
      }
      for (const key of Object.keys(seen.prometheus)) if (!firing.has(key)) note('prometheus', key, 'resolved', now);
      const { rows } = await db.query(`SELECT rule, project_id, resolved_at IS NULL AS open FROM alerts WHERE project_id = ANY($1)`, [
        projectIds.slice(0, 2),
      ]);
      for (const r of rows) {
        const key = `${r.rule} t${projectIds.indexOf(r.project_id)}`;
        note('seqpulse', key, 'fired', now);
        if (!r.open) note('seqpulse', key, 'resolved', now);
      }
      await sleep(2_000);
    }
  })();
  return { seen, stop: async () => ((stop = true), await done) };
}

async function main() {
  if (!existsSync(PROMETHEUS)) {
    console.log(`Prometheus not found at ${PROMETHEUS}: apt-get install prometheus (Debian's 2.42), or set BENCH_PROMETHEUS. Skipped.`);
    return;
  }
  const fleetPort = await freePort();
  const fleet = await startChild(
    process.execPath,
    [join(ROOT, 'bench/lib/dual-fleet.mjs'), String(fleetPort)],
    `http://127.0.0.1:${fleetPort}/t/0/metrics`,
  );
  const fleetUrl = `http://127.0.0.1:${fleetPort}`;
  const server = await startScratchPostgres('seqpulse-vs-prometheus-pg-');
  const dbUrl = await freshDatabase(server.url, 'vsprom');
  const api = await startApi(dbUrl, { SEQPULSE_ROLE: 'all', SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' });
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const [{ id: ownerId }] = (await db.query(`SELECT id FROM users WHERE email = $1`, [ADMIN.email])).rows;
  const projectIds = (
    await db.query(
      `INSERT INTO projects (owner_id, name, plan, envs, metrics_endpoint, poll_interval_s)
       SELECT $1, 'vs-' || i, 'enterprise', ARRAY['prod'], $2 || '/t/' || i || '/seqpulse', 15 FROM generate_series(0, $3 - 1) AS i
       RETURNING id, name`,
      [ownerId, fleetUrl, TARGETS],
    )
  ).rows
    .sort((a, b) => Number(a.name.slice(3)) - Number(b.name.slice(3)))
    .map((r) => r.id);
  await db.query(`UPDATE rollout_settings SET stage = 'general'`);
  const historyEndMs = Math.floor(Date.now() / SLOT_MS) * SLOT_MS;
  log(`history: the day before for ${historyTargets().length} targets, the last ${PRIOR_MS / 60_000} min for the others, in both systems`);
  await backfillSeqpulse(db, projectIds, historyEndMs);
  const prom = await startPrometheus(fleetPort, historyEndMs);
  if (PRIOR_MS > 0) {
    await rollupsCaughtUp(db, historyEndMs);
    // What a running system's autovacuum and checkpoints did long ago, done now: loading the history at once left a
    // vacuum and an analyze of every table it filled (0.7 s of CPU) and a checkpoint of its pages (134 MB of WAL)
    // for the measured window, where they counted as collection (2 Dec, "Twelfth round").
    await db.query(`VACUUM (ANALYZE)`);
    await db.query(`CHECKPOINT`);
  }
  const seqpulseCpu = () => cpuSeconds(api.pid) + postgresCpuSeconds(server.dataDir);
  const watcher = watchAlerts(prom, db, projectIds);
  const result = { targets: TARGETS };
  try {
    log(`${TARGETS} targets; warm-up ${WARMUP_S} s`);
    await sleep(WARMUP_S * 1000);
    if (process.env.BENCH_PG_STAT_STATEMENTS === '1') {
      await db.query(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`);
      await db.query(`SELECT pg_stat_statements_reset()`);
    }
    const t0 = new Date();
    const cpu0 = { seqpulse: seqpulseCpu(), prometheus: cpuSeconds(prom.pid) };
    const split0 = { node: cpuSeconds(api.pid), ...postgresCpuByKind(server.dataDir) };
    const churn0 = await postgresChurn(db);
    const scrapes0 = await promSelf(prom.url, 'prometheus_target_interval_length_seconds_count');

    log(`incidents: error_rate on t0 for ${INCIDENT_S} s, t1 down for ${OUTAGE_S} s`);
    const incidentAt = Date.now();
    await fetch(`${fleetUrl}/control?target=0&mode=error`, { method: 'POST' });
    await fetch(`${fleetUrl}/control?target=1&mode=outage`, { method: 'POST' });
    await sleep(INCIDENT_S * 1000);
    const errorEndAt = Date.now();
    await fetch(`${fleetUrl}/control?target=0&mode=normal`, { method: 'POST' });
    await sleep((OUTAGE_S - INCIDENT_S) * 1000);
    const outageEndAt = Date.now();
    await fetch(`${fleetUrl}/control?target=1&mode=normal`, { method: 'POST' });
    await sleep(TAIL_S * 1000);
    await watcher.stop();

    const t1 = new Date();
    const cpu1 = { seqpulse: seqpulseCpu(), prometheus: cpuSeconds(prom.pid) };
    const split1 = { node: cpuSeconds(api.pid), ...postgresCpuByKind(server.dataDir) };
    const churn1 = await postgresChurn(db);
    const scrapes1 = await promSelf(prom.url, 'prometheus_target_interval_length_seconds_count');
    const { polls } = await pollFigures(db, t0, t1);
    const scrapes = Number(scrapes1) - Number(scrapes0);
    result.window_s = (t1 - t0) / 1000;
    result.collection = {
      seqpulse: { polls, cpu_s: cpu1.seqpulse - cpu0.seqpulse, per_1000: ((cpu1.seqpulse - cpu0.seqpulse) / polls) * 1000 },
      prometheus: { scrapes, cpu_s: cpu1.prometheus - cpu0.prometheus, per_1000: ((cpu1.prometheus - cpu0.prometheus) / scrapes) * 1000 },
      // SeqPulse's CPU-s per 1,000 polls by process: the Node process, Postgres' client backends, its background
      // processes (a backend that exited meanwhile counts under `ended`)
      seqpulse_split: Object.fromEntries(
        Object.keys(split1).map((kind) => [kind, Number((((split1[kind] - (split0[kind] ?? 0)) / polls) * 1000).toFixed(3))]),
      ),
      // connections opened and autovacuum/autoanalyze runs during the window: processes that come and go
      seqpulse_churn: Object.fromEntries(Object.keys(churn1).map((key) => [key, churn1[key] - churn0[key]])),
    };
    result.memory_mb = { seqpulse_api: rssMb(api.pid), prometheus: rssMb(prom.pid) };
    if (process.env.BENCH_PG_STAT_STATEMENTS === '1') {
      // Postgres' time per statement over the whole run (reset at the start of the measured window)
      const { rows } = await db.query(
        `SELECT calls, plans, round(total_exec_time)::int AS exec_ms, round(total_plan_time)::int AS plan_ms, rows,
                left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
           FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 15`,
      );
      result.pg_statements = rows;
      // which tables autovacuum and autoanalyze visited (an analyze invalidates the plans of the statements that
      // read the table): counts since the server started, the window being most of it
      const { rows: tables } = await db.query(
        `SELECT relname, autovacuum_count AS autovacuums, autoanalyze_count AS autoanalyzes
           FROM pg_stat_user_tables WHERE autovacuum_count + autoanalyze_count > 0
          ORDER BY autoanalyze_count + autovacuum_count DESC LIMIT 15`,
      );
      result.pg_autovacuum_by_table = tables;
    }

    if (!COLLECTION_ONLY) {
      // Storage: SeqPulse's tables (raw + rollups and their archives of closed periods, heap + indexes + TOAST) per
      // stored sample; Prometheus' TSDB snapshot (its head written as a compacted block, and the history's blocks) per
      // stored value × 5. The history's closed day is compacted by the worker's first pass (10 min after the start):
      // wait for it, so the compacted figure (archives only, per sample they hold) is measured too.
      const tables = ['samples', 'samples_1m', 'samples_15m', 'samples_archive', 'samples_1m_archive', 'samples_15m_archive'];
      for (const deadline = Date.now() + 11 * 60_000; Date.now() < deadline; await sleep(5_000)) {
        if ((await db.query(`SELECT EXISTS (SELECT 1 FROM samples_1m_archive) AS done`)).rows[0].done) break;
      }
      // partitioned parents have no storage of their own: their partitions, plus the plain tables
      const { rows: sizes } = await db.query(
        `WITH parts AS (
         SELECT p.relname AS parent, c.oid FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
          WHERE p.relname = ANY ($1)
         UNION ALL
         SELECT c.relname, c.oid FROM pg_class c WHERE c.relname = ANY ($1) AND c.relkind = 'r')
       SELECT parent, sum(pg_total_relation_size(oid))::bigint AS bytes FROM parts GROUP BY parent`,
        [tables],
      );
      const bytesOf = Object.fromEntries(sizes.map((r) => [r.parent, Number(r.bytes)]));
      // samples held: live rows, raw archive elements; the rollup archives by the raw samples they summarise (Σ n)
      const [held] = (
        await db.query(
          `SELECT (SELECT count(*) FROM samples)::float8 AS live,
                (SELECT coalesce(sum(cardinality(slot_ms)), 0) FROM samples_archive)::float8 AS archived,
                (SELECT coalesce(sum(x), 0) FROM samples_1m_archive, unnest(n) x)::float8 AS archived_1m,
                (SELECT coalesce(sum(x), 0) FROM samples_15m_archive, unnest(n) x)::float8 AS archived_15m`,
        )
      ).rows;
      const stored = held.live + held.archived;
      const seqBytes = sizes.reduce((s, r) => s + Number(r.bytes), 0);
      const perHeld = (table, n) => (n > 0 ? (bytesOf[table] ?? 0) / n : NaN);
      const snapshot = await fetch(`${prom.url}/api/v1/admin/tsdb/snapshot`, { method: 'POST' }).then((r) => r.json());
      const snapshotBytes = duBytes(join(prom.dataDir, 'snapshots', snapshot.data.name));
      // values scraped, plus the backfilled ones (in blocks since the start; SeqPulse's count includes them too)
      const values =
        (await promSelf(prom.url, 'prometheus_tsdb_head_samples_appended_total')) +
        backfillPlan(historyEndMs).reduce((n, p) => n + p.slots.length, 0) * METRICS.length;
      result.storage = {
        seqpulse: {
          samples: stored,
          bytes: seqBytes,
          per_sample: seqBytes / stored,
          by_table: Object.fromEntries(sizes.map((r) => [r.parent, Number(r.bytes) / stored])),
          compacted: {
            samples: held.archived,
            per_sample:
              perHeld('samples_archive', held.archived) +
              perHeld('samples_1m_archive', held.archived_1m) +
              perHeld('samples_15m_archive', held.archived_15m),
            raw: perHeld('samples_archive', held.archived),
            minute: perHeld('samples_1m_archive', held.archived_1m),
            quarter: perHeld('samples_15m_archive', held.archived_15m),
          },
        },
        prometheus: { values, bytes: snapshotBytes, per_5_values: (snapshotBytes / values) * 5 },
      };

      // Queries: the five series of one target over the last 30 min at 15 s, and over the last 24 h at 60 s (the
      // history day), at 1 and at 20 concurrent clients. CPU per request is net of the system's background work.
      // One credential per client, as 20 users or integrations would be (a credential's concurrent timeseries
      // requests are capped at 2 with 16 waiting: more from one credential are refused with 429 by design).
      const token = await login(api.url, ADMIN.email, ADMIN.password);
      const keys = await createApiKeys(api.url, token, Math.max(...CLIENTS));
      const seqpulseQuery = async (n, from, end, step, client) => {
        const res = await fetch(
          `${api.url}/monitoring/enterprise/timeseries?project_id=${projectIds[2 + (n % historyTargets().length)]}&env=prod&from=${from.toISOString()}&to=${new Date(end).toISOString()}&step=${step}s`,
          { headers: { authorization: `Bearer ${keys[client]}` } },
        );
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`timeseries ${res.status}`);
      };
      // five queries, one per series, as a dashboard panel per metric would send
      const prometheusQuery = (n, from, end, step) =>
        Promise.all(
          METRICS.map((m) =>
            promQuery(prom.url, '/api/v1/query_range', {
              query: `${m}{target="t${2 + (n % historyTargets().length)}"}`,
              start: from.getTime() / 1000,
              end: end / 1000,
              step,
            }),
          ),
        );
      const systems = {
        seqpulse: { cpu: seqpulseCpu, query: seqpulseQuery },
        prometheus: { cpu: () => cpuSeconds(prom.pid), query: prometheusQuery },
      };
      result.queries = {};
      for (const q of [
        { name: '30 min @ 15s', ms: 30 * 60_000, step: 15 },
        { name: '24 h @ 60s', ms: HISTORY_MS, step: 60 },
      ]) {
        for (const clients of CLIENTS) {
          const key = `${q.name}, ${clients} client${clients > 1 ? 's' : ''}`;
          result.queries[key] = {};
          for (const [name, system] of Object.entries(systems)) {
            const c0 = system.cpu();
            await sleep(IDLE_S * 1000);
            const background = (system.cpu() - c0) / IDLE_S; // CPU-s per s without queries
            const end = Date.now();
            const from = new Date(end - q.ms);
            const total = clients > 1 ? QUERIES * 2 : QUERIES;
            const lat = [];
            let next = 0;
            const c1 = system.cpu();
            const w0 = performance.now();
            await Promise.all(
              Array.from({ length: clients }, async (_, client) => {
                while (next < total) {
                  const n = next++;
                  const s0 = performance.now();
                  await system.query(n, from, end, q.step, client);
                  lat.push(performance.now() - s0);
                }
              }),
            );
            const wallS = (performance.now() - w0) / 1000;
            const cpuMs = ((system.cpu() - c1 - background * wallS) / total) * 1000;
            result.queries[key][name] = {
              cpu_ms: cpuMs,
              per_core_per_s: 1000 / cpuMs,
              per_s: total / wallS,
              p50: percentile(lat, 50),
              p95: percentile(lat, 95),
            };
          }
        }
      }
    }

    const rel = (at, since) => (at === undefined ? 'never' : `${((at - since) / 1000).toFixed(0)} s`);
    result.alerts = {};
    for (const [key, start, end] of [
      ['error_rate_high t0', incidentAt, errorEndAt],
      ['no_data t1', incidentAt, outageEndAt],
    ]) {
      result.alerts[key] = Object.fromEntries(
        ['prometheus', 'seqpulse'].map((s) => [
          s,
          { fired_after_start: rel(watcher.seen[s][key]?.fired, start), resolved_after_end: rel(watcher.seen[s][key]?.resolved, end) },
        ]),
      );
    }
    result.spurious_alerts = Object.fromEntries(
      ['prometheus', 'seqpulse'].map((s) => [
        s,
        Object.keys(watcher.seen[s]).filter((k) => !['error_rate_high t0', 'no_data t1'].includes(k)),
      ]),
    );
  } finally {
    await watcher.stop().catch(() => undefined);
    prom.stop();
    await api.stop();
    await db.end();
    await server.stop();
    fleet.kill('SIGTERM');
  }

  console.log(JSON.stringify(result, null, 2));
  const c = result.collection;
  console.log(`\n${TARGETS} targets at 15 s, both systems at once, ${result.window_s.toFixed(0)} s measured after ${WARMUP_S} s warm-up\n`);
  console.log('| figure | SeqPulse | Prometheus 2.42 | ratio |');
  console.log('|---|---|---|---|');
  const row = (name, s, p, unit = '') =>
    console.log(`| ${name} | ${s.toFixed(2)}${unit} | ${p.toFixed(2)}${unit} | ${(s / p).toFixed(2)}× |`);
  row('CPU-s per 1,000 polls (SeqPulse: API+worker+Postgres; Prometheus: scrape+TSDB+rules)', c.seqpulse.per_1000, c.prometheus.per_1000);
  for (const [kind, perThousand] of Object.entries(c.seqpulse_split).sort((a, b) => b[1] - a[1]))
    if (perThousand > 0) console.log(`| … of which ${kind} | ${perThousand.toFixed(2)} | | |`);
  console.log(`| sessions opened / autovacuums / autoanalyzes in the window | ${Object.values(c.seqpulse_churn).join(' / ')} | | |`);
  row('RSS (SeqPulse: the Node process; Postgres apart)', result.memory_mb.seqpulse_api, result.memory_mb.prometheus, ' MB');
  for (const [key, a] of Object.entries(result.alerts)) {
    console.log(
      `| ${key}: fired after start / resolved after end | ${a.seqpulse.fired_after_start} / ${a.seqpulse.resolved_after_end} | ${a.prometheus.fired_after_start} / ${a.prometheus.resolved_after_end} | |`,
    );
  }
  if (COLLECTION_ONLY) return;
  row('bytes per 5-metric sample, everything stored', result.storage.seqpulse.per_sample, result.storage.prometheus.per_5_values, ' B');
  row(
    'bytes per 5-metric sample, compacted days (SeqPulse archives; Prometheus overall)',
    result.storage.seqpulse.compacted.per_sample,
    result.storage.prometheus.per_5_values,
    ' B',
  );
  for (const [name, q] of Object.entries(result.queries)) {
    row(`query CPU per request (net of background), ${name}`, q.seqpulse.cpu_ms, q.prometheus.cpu_ms, ' ms');
    row(`requests per CPU-second (per core), ${name}`, q.seqpulse.per_core_per_s, q.prometheus.per_core_per_s);
    row(`requests per second, ${name}`, q.seqpulse.per_s, q.prometheus.per_s);
    row(`query latency p50, ${name}`, q.seqpulse.p50, q.prometheus.p50, ' ms');
    row(`query latency p95, ${name}`, q.seqpulse.p95, q.prometheus.p95, ' ms');
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
