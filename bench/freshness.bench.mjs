#!/usr/bin/env node
// Freshness benchmark (issue 4): time from a sample being PRODUCED by a target to its arrival on an SSE client.
// Real parts: the demo fleet (built, own process) plays the targets behind a pass-through HTTP proxy in this
// process that timestamps each answer as it leaves the target; a worker process (role `all`: collector) polls
// them every 15 s and writes the samples; a SEPARATE API process (role `api`) holds the SSE streams, so every
// sample crosses Postgres NOTIFY between processes; one stream client per project runs in this process (same
// clock as the proxy). Figures go to stdout.
//
//   npx nx run-many -t build -p api demo-fleet && node bench/freshness.bench.mjs
//   BENCH_TARGETS=20 BENCH_WINDOW_S=45 node bench/freshness.bench.mjs     # quick
import { createServer, request } from 'node:http';
import { loadavg } from 'node:os';
import pg from 'pg';
import { fmt, freePort, log, login, percentile, startApi, startPostgres, freshDatabase, startFleet } from './lib/harness.mjs';

process.env.BENCH_PG_DIR ??= '/tmp/seqpulse-freshness-bench-pg';
const TARGETS = Number(process.env.BENCH_TARGETS ?? 100);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 35);
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 90);
const OWNER = { email: 'fresh-owner@seqpulse.test', password: 'fresh-owner-password' };

/** Pass-through proxy to the fleet; records when each target's answer was produced (left the target). */
async function startProducerClock(fleetPort) {
  const produced = new Map(); // target → [ms]
  const server = createServer((req, res) => {
    const upstream = request({ host: '127.0.0.1', port: fleetPort, path: req.url, method: req.method, headers: req.headers }, (up) => {
      const chunks = [];
      up.on('data', (c) => chunks.push(c));
      up.on('end', () => {
        const target = /^\/targets\/([^/]+)\/metrics/.exec(req.url ?? '')?.[1];
        if (target && up.statusCode === 200) {
          let list = produced.get(target);
          if (!list) produced.set(target, (list = []));
          list.push(Date.now());
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        res.end(Buffer.concat(chunks));
      });
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 65_000;
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, produced, stop: () => server.close() };
}

function openStream(url, token, onSample) {
  const controller = new AbortController();
  (async () => {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    if (res.status !== 200) throw new Error(`stream ${res.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body) {
      const now = Date.now();
      buffer += decoder.decode(chunk, { stream: true });
      let i;
      while ((i = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (block.startsWith('event: sample\n')) onSample(JSON.parse(block.split('\ndata: ')[1]), now);
      }
    }
  })().catch(() => undefined);
  return () => controller.abort();
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

async function main() {
  log(`load average (1/5/15 min) at start: ${load()}`);
  const server = await startPostgres();
  const url = await freshDatabase(server.url, 'fresh');
  const fleet = await startFleet();
  const clock = await startProducerClock(fleet.port);
  const worker = await startApi(url, { SEQPULSE_ROLE: 'all', SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' });
  // one stream per project from one user: above the default cap of open streams per credential (10)
  const api = await startApi(url, { SEQPULSE_ROLE: 'api', SEQPULSE_STREAMS_PER_CREDENTIAL: String(TARGETS) });
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const closers = [];
  try {
    const signup = await fetch(`${api.url}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    if (signup.status !== 201) throw new Error(`signup ${signup.status}`);
    const token = await login(api.url, OWNER.email, OWNER.password);
    const [{ id: ownerId }] = (await db.query(`SELECT id FROM users WHERE email = $1`, [OWNER.email])).rows;
    const projects = (
      await db.query(
        `INSERT INTO projects (owner_id, name, plan, envs, metrics_endpoint, poll_interval_s)
         SELECT $1, 'bench-fresh-' || i, 'enterprise', ARRAY['prod'], $2 || '/targets/bench-fresh-' || i || '/metrics', 15
           FROM generate_series(0, $3 - 1) AS i
         RETURNING id, name`,
        [ownerId, clock.url, TARGETS],
      )
    ).rows;
    await db.query(`UPDATE rollout_settings SET stage = 'general'`);
    log(`${TARGETS} targets at 15 s, streams on a separate API process; warm-up ${WARMUP_S} s, window ${WINDOW_S} s…`);
    let measuring = false;
    const latencies = [];
    let unmatched = 0;
    for (const p of projects) {
      closers.push(
        openStream(`${api.url}/monitoring/enterprise/stream?project_id=${p.id}`, token, (_sample, arrived) => {
          if (!measuring) return;
          const times = clock.produced.get(p.name) ?? [];
          let produced;
          for (let i = times.length - 1; i >= 0; i--)
            if (times[i] <= arrived) {
              produced = times[i];
              break;
            }
          if (produced === undefined) unmatched++;
          else latencies.push(arrived - produced);
        }),
      );
    }
    await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
    measuring = true;
    await new Promise((r) => setTimeout(r, WINDOW_S * 1000));
    measuring = false;
    const expected = Math.round((TARGETS * WINDOW_S) / 15);
    const row = {
      targets: TARGETS,
      samples: latencies.length,
      expected,
      unmatched,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
    };
    log(JSON.stringify(row));
    log(`load average (1/5/15 min) at end: ${load()}`);
    console.log('\n| targets | samples received (expected) | produced → SSE p50 | p99 | max |');
    console.log('|---|---|---|---|---|');
    console.log(`| ${row.targets} | ${row.samples} (${row.expected}) | ${fmt(row.p50)} | ${fmt(row.p99)} | ${fmt(row.max)} |`);
  } finally {
    closers.forEach((c) => c());
    await db.end();
    await api.stop();
    await worker.stop();
    clock.stop();
    fleet.stop();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
