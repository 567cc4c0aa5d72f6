#!/usr/bin/env node
// Overview benchmark (issue 14): BENCH_PROJECTS (200) Enterprise projects × 2 envs with the last 2 hours of 15 s
// samples, some firing alerts and deployments; measures GET /monitoring/enterprise/overview (the whole landing
// page in one request). "server" = duration the API measured (its access record: request in → response finished),
// "client" = round trip on loopback.
//
//   npx nx build api && node bench/overview.bench.mjs
//   BENCH_PROJECTS=500 BENCH_REQUESTS=50 node bench/overview.bench.mjs
//
// BENCH_BROWSER=1 (needs the built dashboard, `npx nx build dashboard`, and Debian's chromium) then opens the overview
// page of the same 200 projects in headless Chromium BENCH_LOADS (3) times, as a signed-in user arriving on it (the
// app started, then the overview opened from the app's own navigation), and prints the long tasks (> 50 ms) from the
// navigation to 2 s after the last row is drawn; then the same as a full page load (the app's start included); plus
// one 15 s refresh of the page. BENCH_TRACE=1 breaks each task over BENCH_TRACE_MS (50) of those loads into its
// parts (a Chromium trace: script by file, style, layout, paint, GC). BENCH_BUSY=N keeps N processes spinning during
// the browser pass (N of the machine's cores taken, as by other work on a shared machine).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import pg from 'pg';
import {
  cpuSeconds,
  fmt,
  freshDatabase,
  log,
  login,
  percentile,
  postgresCpuSeconds,
  startApi,
  startScratchPostgres,
} from './lib/harness.mjs';
import { formatLongTaskParts, longTaskParts, TRACE_CATEGORIES } from './lib/long-tasks.mjs';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 200);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 100);
const OWNER = { email: 'bench-owner@seqpulse.test', password: 'bench-owner-password' };
const ROUTE = 'GET /monitoring/enterprise/overview';

async function seed(db, ownerId) {
  await db.query(
    `INSERT INTO projects (owner_id, name, plan, envs, metrics_endpoint)
     SELECT $1, 'bench-' || lpad(i::text, 5, '0'), 'enterprise', '{prod,staging}', 'https://metrics.example.com/' || i
       FROM generate_series(1, $2::int) i`,
    [ownerId, PROJECTS],
  );
  await db.query(`UPDATE rollout_settings SET stage = 'general' WHERE id = 1`);
  const ids = (await db.query(`SELECT id FROM projects WHERE name LIKE 'bench-%'`)).rows.map((r) => r.id);
  const end = new Date(Math.floor(Date.now() / 15_000) * 15_000);
  const start = new Date(end.getTime() - 2 * 3_600_000);
  for (let day = Math.floor(start.getTime() / 86_400_000) * 86_400_000; day <= end.getTime(); day += 86_400_000) {
    const part = `samples_${new Date(day).toISOString().slice(0, 10).replace(/-/g, '')}`;
    await db.query(
      `CREATE TABLE IF NOT EXISTS ${part} PARTITION OF samples FOR VALUES FROM ('${new Date(day).toISOString()}') TO ('${new Date(day + 86_400_000).toISOString()}')`,
    );
  }
  const { rowCount } = await db.query(
    `INSERT INTO samples (project_id, env, phase, slot_at, collected_at, requests_per_sec, latency_p95, error_rate, cpu_usage, memory_usage)
     SELECT p.id, e.env, 'pre', s.slot, s.slot + interval '1 second',
            40 + random() * 10, 80 + random() * 240, random() * 0.02, 0.2 + random() * 0.5, 0.4 + random() * 0.3
       FROM generate_series($1::timestamptz, $2::timestamptz, interval '15 seconds') AS s(slot)
      CROSS JOIN unnest($3::uuid[]) AS p(id) CROSS JOIN (VALUES ('prod'), ('staging')) AS e(env)
      ORDER BY s.slot`,
    [start, end, ids],
  );
  await db.query(
    `INSERT INTO alerts (project_id, env, rule, state, value, threshold, started_at)
     SELECT id, 'prod', 'error_rate_high', 'firing', 0.02, 0.01, now() FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, n) WHERE n % 10 = 0`,
    [ids],
  );
  await db.query(
    `INSERT INTO deployments (project_id, env, started_at, finished_at, result)
     SELECT id, e.env, now() - interval '50 minutes', now() - interval '45 minutes', CASE WHEN random() < 0.2 THEN 'failed' ELSE 'success' END
       FROM unnest($1::uuid[]) AS p(id) CROSS JOIN (VALUES ('prod'), ('staging')) AS e(env)`,
    [ids],
  );
  // settle the rollups as the worker would (all but the last minute or two are rolled up in steady state)
  await db.query(`SELECT samples_rollup_catch_up(100000, interval '90 seconds')`);
  await db.query(`VACUUM ANALYZE samples_1m, alerts, deployments, projects`);
  return rowCount;
}

/** BENCH_EXPLAIN=1: the plan of the sparklines statement (the API's own SQL builder, loaded from its sources). */
async function explainSparklines(db, ownerId) {
  const require = createRequire(import.meta.url);
  require('./alerts/ts-register.cjs');
  const { buildSparklinesSql } = require('../apps/api/src/app/samples/sparklines-sql.ts');
  const pairs = (await db.query(`SELECT id::text, unnest(envs) AS env FROM projects WHERE owner_id = $1`, [ownerId])).rows;
  const end = Math.floor(Date.now() / 60_000) * 60;
  const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${buildSparklinesSql(true)}`, [
    `{${pairs.map((p) => p.id).join(',')}}`,
    pairs.map((p) => p.env),
    end - 3600,
    end,
  ]);
  console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
}

/** The 25 functions of a CDP CPU profile with the most self time (script URL basename:line:column). */
function printProfile(profile) {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, url, lineNumber, columnNumber } = byNode.get(id).callFrame;
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}:${columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  console.log('\nself time (ms), scrolling:');
  for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${ms.toFixed(0).padStart(7)}  ${key}`);
}

/** Long tasks of the overview page in Chromium (see the header). */
async function browserPass(apiUrl) {
  const busy = Array.from({ length: Number(process.env.BENCH_BUSY ?? 0) }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  try {
    await pageLoads(apiUrl);
  } finally {
    for (const child of busy) child.kill();
  }
}

async function pageLoads(apiUrl) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'],
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`${apiUrl}/app/login`);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/app\/(overview|projects)/);
    // the answer is on screen: the page says how many projects it holds (set in the same change detection as the
    // rows) and its rows have sparklines (all 400 rows before the virtual list, the rows in view since)
    const rowsDrawn = () =>
      page.waitForFunction(
        (n) =>
          document.querySelector('.page-head [role=status]')?.textContent?.includes(`${n} projects`) &&
          document.querySelectorAll('tbody tr app-sparkline').length >= 5,
        PROJECTS,
        { timeout: 60_000 },
      );
    // main-thread time from Chromium's own counters (CDP Performance.getMetrics): what a phase cost in script, style
    // and layout, and in tasks overall, whatever the machine's load does to the wall clock
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const counters = async () =>
      Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value * 1000]));
    const cost = (a, b) =>
      ['ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration', 'TaskDuration'].map((k) => Math.round(b[k] - a[k])).join(' / ');
    const tasksSince = (t) =>
      page.evaluate((from) => window.__longTasks.filter((x) => x.start + x.duration >= from).map((x) => Math.round(x.duration)), t);
    // Opens the overview with `open`, waits for its rows and 2 s more; the time to the rows drawn. BENCH_TRACE=1: a
    // Chromium trace of it, its tasks over BENCH_TRACE_MS broken down into their parts.
    const load = async (how, open) => {
      if (process.env.BENCH_TRACE) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      const began = performance.now();
      await open();
      await rowsDrawn();
      const drawnMs = performance.now() - began;
      await page.waitForTimeout(2000);
      if (process.env.BENCH_TRACE) {
        const limitMs = Number(process.env.BENCH_TRACE_MS ?? 50);
        const tasks = longTaskParts(JSON.parse((await browser.stopTracing()).toString()).traceEvents, limitMs);
        console.log(`\ntasks over ${limitMs} ms, ${how}:\n${formatLongTaskParts(tasks) || 'none'}`);
      }
      return drawnMs;
    };
    const loads = [];
    for (let i = 0; i < Number(process.env.BENCH_LOADS ?? 3); i++) {
      // from another page of the app to the overview through its own navigation (the app is started)
      await page.goto(`${apiUrl}/app/projects`);
      await page.waitForSelector('a[href="/app/overview"]');
      await page.waitForTimeout(1000);
      const since = await page.evaluate(() => performance.now());
      const c0 = await counters();
      const drawnMs = await load('opened from the app', () => page.locator('a[href="/app/overview"]').first().click());
      loads.push({ how: 'opened from the app', drawnMs, tasks: await tasksSince(since), cost: cost(c0, await counters()) });
      // a full page load of the overview (the app's start included; Chromium's counters start again with the document)
      const loadDrawnMs = await load('page load', () => page.goto(`${apiUrl}/app/overview`));
      loads.push({
        how: 'page load (app start included)',
        drawnMs: loadDrawnMs,
        tasks: await tasksSince(0),
        cost: cost({ ScriptDuration: 0, RecalcStyleDuration: 0, LayoutDuration: 0, TaskDuration: 0 }, await counters()),
      });
    }
    // 15 s with the page open: one live refresh (every 15 s) and the per-second clock of the "N s ago" texts
    const since = await page.evaluate(() => performance.now());
    const c2 = await counters();
    await page.waitForResponse((r) => r.url().endsWith('/monitoring/enterprise/overview'), { timeout: 30_000 });
    await page.waitForTimeout(15_000);
    const open = { tasks: await tasksSince(since), cost: cost(c2, await counters()) };
    // scrolling through every row, a screenful every 100 ms (whichever element scrolls the table)
    // BENCH_PROFILE=1: a CPU profile of the scrolling, its heaviest functions by self time printed below
    if (process.env.BENCH_PROFILE) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
    const c3 = await counters();
    const scrollSince = await page.evaluate(() => performance.now());
    await page.evaluate(async () => {
      const box = document.querySelector('.overview-scroll');
      const scroller = box && box.scrollHeight > box.clientHeight ? box : document.scrollingElement;
      while (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 1) {
        scroller.scrollTop += scroller.clientHeight;
        await new Promise((r) => setTimeout(r, 100));
      }
    });
    await page.waitForTimeout(500);
    const scrolled = { tasks: await tasksSince(scrollSince), cost: cost(c3, await counters()) };
    if (process.env.BENCH_PROFILE) printProfile((await cdp.send('Profiler.stop')).profile);
    console.log(
      '\n| overview in Chromium, 200 × 2 rows | answer drawn after | long tasks > 50 ms (ms) | script / style / layout / all tasks (ms) |',
    );
    console.log('|---|---|---|---|');
    for (const l of loads) console.log(`| ${l.how} | ${fmt(l.drawnMs)} | ${l.tasks.join(', ') || 'none'} | ${l.cost} |`);
    console.log(`| 15 s open (a refresh, the clock) | — | ${open.tasks.join(', ') || 'none'} | ${open.cost} |`);
    console.log(`| scrolled to the end, a screen per 100 ms | — | ${scrolled.tasks.join(', ') || 'none'} | ${scrolled.cost} |`);
  } finally {
    await browser.close();
  }
}

async function main() {
  log(
    `load average (1/5/15 min) at start: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}`,
  );
  const server = await startScratchPostgres('seqpulse-bench-overview-');
  const url = await freshDatabase(server.url, 'seqpulse_overview');
  const api = await startApi(url);
  const db = new pg.Pool({ connectionString: url, max: 2 });
  try {
    const signup = await fetch(`${api.url}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    if (signup.status !== 201) throw new Error(`signup ${signup.status}`);
    const [{ id: ownerId }] = (await db.query(`SELECT id FROM users WHERE email = $1`, [OWNER.email])).rows;
    const t = Date.now();
    const rows = await seed(db, ownerId);
    log(`dataset: ${PROJECTS} projects × 2 envs, ${rows} samples (2 h), seeded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    if (process.env.BENCH_EXPLAIN) await explainSparklines(db, ownerId);
    const token = await login(api.url, OWNER.email, OWNER.password);
    const call = async () => {
      const s = performance.now();
      const res = await fetch(`${api.url}/monitoring/enterprise/overview`, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.json();
      if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body)}`);
      const parts = Object.fromEntries(
        (res.headers.get('server-timing') ?? '').split(', ').map((p) => [p.split(';')[0], Number(p.split('dur=')[1])]),
      );
      return { ms: performance.now() - s, body, parts };
    };
    const first = await call();
    const monitored = first.body.projects.filter((p) => p.envs.length === 2).length;
    if (monitored !== PROJECTS) throw new Error(`expected ${PROJECTS} monitored projects, got ${monitored}`);
    const bytes = JSON.stringify(first.body).length;
    for (let i = 0; i < 5; i++) await call(); // warm-up
    const t0 = new Date();
    const cpu0 = { api: cpuSeconds(api.pid), pg: postgresCpuSeconds(server.dataDir) };
    const client = [];
    const parts = {};
    for (let i = 0; i < REQUESTS; i++) {
      const r = await call();
      client.push(r.ms);
      for (const [name, ms] of Object.entries(r.parts)) (parts[name] ??= []).push(ms);
    }
    // CPU per request: on a loaded shared machine, what an answer costs when it does not wait for a core (the
    // Postgres figure counts this run's server and its backends only when it is the scratch server of the run)
    const cpuApi = ((cpuSeconds(api.pid) - cpu0.api) * 1000) / REQUESTS;
    const cpuPg = ((postgresCpuSeconds(server.dataDir) - cpu0.pg) * 1000) / REQUESTS;
    log(`CPU per request: API ${cpuApi.toFixed(1)} ms, Postgres ${cpuPg.toFixed(1)} ms`);
    log(
      `parts (Server-Timing, p50): ${Object.entries(parts)
        .map(([name, ms]) => `${name} ${fmt(percentile(ms, 50))}`)
        .join(', ')}`,
    );
    await new Promise((r) => setTimeout(r, 600)); // access records are flushed every 250 ms
    const serverMs = (
      await db.query(`SELECT duration_ms FROM access_records WHERE at >= $1 AND route = $2 AND project_id IS NULL AND status = 200`, [
        t0,
        ROUTE,
      ])
    ).rows.map((r) => r.duration_ms);
    const recorded = (
      await db.query(`SELECT count(*)::int AS n FROM access_records WHERE at >= $1 AND route = $2 AND project_id IS NOT NULL`, [t0, ROUTE])
    ).rows[0].n;
    log(
      `load average at end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')}`,
    );
    console.log(
      '\n| projects × envs | requests | body | server p50 | server p95 | client p50 | client p95 | CPU/request (API + Postgres) | access records per request |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
    console.log(
      `| ${PROJECTS} × 2 | ${REQUESTS} | ${(bytes / 1024).toFixed(0)} kB JSON | ${fmt(percentile(serverMs, 50))} | ${fmt(percentile(serverMs, 95))} | ${fmt(percentile(client, 50))} | ${fmt(percentile(client, 95))} | ${cpuApi.toFixed(1)} + ${cpuPg.toFixed(1)} ms | ${(recorded / REQUESTS).toFixed(0)} |`,
    );
    if (process.env.BENCH_BROWSER) await browserPass(api.url);
  } finally {
    await db.end();
    await api.stop();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
