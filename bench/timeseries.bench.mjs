#!/usr/bin/env node
// Timeseries latency benchmark (issue 4): seeds BENCH_PROJECTS (1000) × BENCH_DAYS (7) days of 15 s samples
// (~40 M rows), then measures GET /monitoring/enterprise/timeseries for 1 h @ 15s, 24 h @ 60s and 7 d @ 1h under
// 1 and 20 concurrent clients. "server" = duration the API itself measured (access records, request in → response
// finished), "client" = round trip seen by the client on loopback (includes the gzip transfer).
//
//   npx nx build api && node bench/timeseries.bench.mjs
//   BENCH_PROJECTS=200 BENCH_DAYS=2 node bench/timeseries.bench.mjs     # quick, smaller scale
//   BENCH_DATABASE_URL=postgres://… node bench/timeseries.bench.mjs     # an external Postgres instead
//   BENCH_ONLY='24 h @ 60s' BENCH_CLIENTS=20 node bench/timeseries.bench.mjs   # one scenario, one concurrency
// "CPU/request" splits the machine's CPU time during a scenario between the API process, Postgres (all its
// processes) and this load generator, divided by the requests: on 2 shared cores it is what bounds throughput.
import { loadavg } from 'node:os';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import pg from 'pg';
import { Agent, request } from 'undici';
import { cpuSeconds, createApiKeys, fmt, log, login, percentile, postgresCpuSeconds, startApi, startPostgres } from './lib/harness.mjs';
import { seedFleet } from './lib/seed.mjs';

const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 1000);
const DAYS = Number(process.env.BENCH_DAYS ?? 7);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const OWNER = { email: 'bench-owner@seqpulse.test', password: 'bench-owner-password' };
const HOUR = 3_600_000;

const SCENARIOS = [
  { name: '1 h @ 15s', rangeMs: HOUR, step: '15s' },
  { name: '24 h @ 60s', rangeMs: 24 * HOUR, step: '60s' },
  { name: `${DAYS} d @ 1h`, rangeMs: DAYS * 24 * HOUR, step: '1h' },
];

/** What a browser sends (Chrome): the API picks brotli, as for the dashboard. */
const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING ?? 'gzip, deflate, br, zstd';
const dispatcher = new Agent({ connections: 32, pipelining: 1 });
const decode = (buf, encoding) => (encoding === 'br' ? brotliDecompressSync(buf) : encoding === 'gzip' ? gunzipSync(buf) : buf).toString();

const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,20').split(',').map(Number);

const ownCpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

async function main() {
  log(`load average (1/5/15 min) at start: ${load()}`);
  const pgServer = await startPostgres();
  let api = await startApi(pgServer.url);
  try {
    const signup = await fetch(`${api.url}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    if (![201, 409].includes(signup.status)) throw new Error(`signup ${signup.status}`);
    const seed = await seedFleet(pgServer.url, { projects: PROJECTS, days: DAYS, ownerEmail: OWNER.email });
    log(
      `dataset: ${seed.ids.length} projects, ${(seed.totalRows / 1e6).toFixed(1)} M samples (${seed.rowsWritten ? `${(seed.rowsWritten / 1e6).toFixed(1)} M written now in ${seed.seconds.toFixed(0)} s` : 'already seeded'})`,
    );
    const db = new pg.Pool({ connectionString: pgServer.url, max: 2 });
    const size = (
      await db.query(
        `SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) AS s FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'samples'::regclass`,
      )
    ).rows[0].s;
    log(`samples on disk (heap + indexes): ${size}`);
    // Steady state: autovacuum (eager on the rollups) keeps their visibility map current on a live system.
    const v0 = Date.now();
    await db.query(`VACUUM ANALYZE samples_1m, samples_15m`);
    log(`rollups vacuumed in ${((Date.now() - v0) / 1000).toFixed(0)} s`);
    // A fresh API process after the seed, so nothing of the seeding is cached in it.
    await api.stop();
    api = await startApi(pgServer.url);
    const token = await login(api.url, OWNER.email, OWNER.password);
    // One credential per client, as many users or integrators would be: the API gives each credential a fair share
    // of the time-series pool (2 requests in flight), so 20 clients on one credential would measure the 429s.
    const keys = await createApiKeys(api.url, token, Math.max(...CLIENTS));

    const results = [];
    for (const concurrency of CLIENTS) {
      for (const sc of SCENARIOS.filter((x) => !ONLY || ONLY.includes(x.name))) {
        const n = concurrency === 1 ? REQUESTS : REQUESTS * 2;
        const urls = Array.from({ length: n }, () => {
          const project = seed.ids[Math.floor(Math.random() * seed.ids.length)];
          const latest = seed.to.getTime() - sc.rangeMs;
          const start =
            sc.rangeMs >= DAYS * 24 * HOUR ? seed.from.getTime() : seed.from.getTime() + Math.random() * (latest - seed.from.getTime());
          const from = new Date(Math.floor(start / 1000) * 1000).toISOString();
          const to = new Date(Math.floor(start / 1000) * 1000 + sc.rangeMs).toISOString();
          return `${api.url}/monitoring/enterprise/timeseries?project_id=${project}&from=${from}&to=${to}&step=${sc.step}`;
        });
        // warm-up (connection setup, JIT), not counted
        for (const u of urls.slice(0, 5)) await (await request(u, { dispatcher, headers: { 'x-api-key': keys[0] } })).body.arrayBuffer();
        const t0 = new Date();
        const client = [];
        let i = 0;
        let points = 0;
        const runner = async (_, clientIndex) => {
          const headers = { 'x-api-key': keys[clientIndex], 'accept-encoding': ACCEPT_ENCODING };
          while (i < urls.length) {
            const first = i === 0;
            const u = urls[i++];
            const s = performance.now();
            const res = await request(u, { dispatcher, headers });
            // The load generator only drains the (compressed) body, so its own CPU does not crowd the API's on
            // the shared cores; the first response of each scenario is decoded and checked in full.
            if (first || res.statusCode !== 200) {
              const body = decode(Buffer.from(await res.body.arrayBuffer()), res.headers['content-encoding']);
              if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${body}`);
              points = JSON.parse(body).series.cpu_usage.length;
            } else {
              for await (const chunk of res.body) void chunk;
            }
            client.push(performance.now() - s);
          }
        };
        const cpu0 = { api: cpuSeconds(api.pid), pg: postgresCpuSeconds(), client: ownCpuSeconds() };
        const wall = performance.now();
        await Promise.all(Array.from({ length: concurrency }, runner));
        const wallS = (performance.now() - wall) / 1000;
        const cpuMs = (s0, s1) => ((s1 - s0) * 1000) / n;
        const cpu = {
          api: cpuMs(cpu0.api, cpuSeconds(api.pid)),
          pg: cpuMs(cpu0.pg, postgresCpuSeconds()),
          client: cpuMs(cpu0.client, ownCpuSeconds()),
        };
        await new Promise((r) => setTimeout(r, 600)); // access records are flushed every 250 ms
        const server = (
          await db.query(
            `SELECT duration_ms FROM access_records WHERE at >= $1 AND route = 'GET /monitoring/enterprise/timeseries' AND status = 200 AND params->>'step' = $2`,
            [t0, sc.step],
          )
        ).rows.map((r) => r.duration_ms);
        const row = {
          scenario: sc.name,
          concurrency,
          requests: n,
          points,
          server_p50: percentile(server, 50),
          server_p95: percentile(server, 95),
          client_p50: percentile(client, 50),
          client_p95: percentile(client, 95),
          rps: n / wallS,
          cpu,
        };
        results.push(row);
        log(
          `${sc.name.padEnd(12)} c=${String(concurrency).padEnd(3)} n=${n} points=${points}  server p50 ${fmt(row.server_p50)} p95 ${fmt(row.server_p95)}  client p50 ${fmt(row.client_p50)} p95 ${fmt(row.client_p95)}  ${row.rps.toFixed(0)} req/s  CPU/request: API ${cpu.api.toFixed(1)} ms, Postgres ${cpu.pg.toFixed(1)} ms, load generator ${cpu.client.toFixed(1)} ms`,
        );
      }
    }
    log(`load average (1/5/15 min) at end: ${load()}`);
    console.log(
      '\n| range @ step | clients | requests | points/series | server p50 | server p95 | client p50 | client p95 | throughput | CPU/request (API + Postgres + load generator) |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      console.log(
        `| ${r.scenario} | ${r.concurrency} | ${r.requests} | ${r.points} | ${fmt(r.server_p50)} | ${fmt(r.server_p95)} | ${fmt(r.client_p50)} | ${fmt(r.client_p95)} | ${r.rps.toFixed(0)} req/s | ${r.cpu.api.toFixed(1)} + ${r.cpu.pg.toFixed(1)} + ${r.cpu.client.toFixed(1)} ms |`,
      );
    }
    await db.end();
  } finally {
    await api.stop();
    await pgServer.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
