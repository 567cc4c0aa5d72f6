#!/usr/bin/env node
// The Node SDK's overhead (issue 15), on the built package: `npx nx build sdk-node && node bench/sdk.bench.mjs`.
// 1. Added latency per request: the Express middleware's own work (entry + the 'finish' handler that records
//    the request into the window and its DDSketch), per request, median and p99 over batches of 1,000.
// 2. Memory at 10,000 requests per second: a paced stream through the same middleware for one full window
//    plus 10 s (BENCH_SDK_SECONDS, default 70), then heap and RSS growth over a baseline, after a forced GC.
// 3. The poll: time of one collect() over a full window (what each 15 s poll costs the service).
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

if (typeof globalThis.gc !== 'function') {
  const res = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], { stdio: 'inherit', env: process.env });
  process.exit(res.status ?? 1);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const seqpulse = createRequire(import.meta.url)(join(root, 'dist/libs/sdk-node/index.cjs'));
const seconds = Number(process.env.BENCH_SDK_SECONDS ?? 70);

/** What the middleware touches on a request and a response: url, method, headers; statusCode, 'finish'. */
const request = (i) => ({ url: `/api/orders/${i % 500}`, method: 'GET', headers: {} });
class Response extends EventEmitter {
  statusCode = 200;
}
const next = () => undefined;
const settle = () => new Promise((r) => setImmediate(r));

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function addedLatency() {
  seqpulse.init({ windowSeconds: 60 });
  const middleware = seqpulse.metrics();
  const batch = 1000;
  const perRequestNs = [];
  for (let round = 0; round < 400; round++) {
    const responses = Array.from({ length: batch }, () => new Response());
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) {
      const res = responses[i];
      middleware(request(i), res, next);
      res.statusCode = i % 50 === 0 ? 500 : 200;
      res.emit('finish');
    }
    const ns = Number(process.hrtime.bigint() - start) / batch;
    if (round >= 50) perRequestNs.push(ns); // the first rounds warm the JIT up
    if (round % 20 === 0) await settle();
  }
  perRequestNs.sort((a, b) => a - b);
  return { median: quantile(perRequestNs, 0.5) / 1000, p99: quantile(perRequestNs, 0.99) / 1000, samples: perRequestNs.length * batch };
}

/** 10,000 req/s in 10 ms steps of 100 requests; each answered in the next step (0–10 ms latency). */
async function memoryAt10k() {
  seqpulse.init({ windowSeconds: 60 });
  const middleware = seqpulse.metrics();
  globalThis.gc();
  const before = process.memoryUsage();
  let pending = [];
  let sent = 0;
  const startedAt = performance.now();
  while (performance.now() - startedAt < seconds * 1000) {
    const due = Math.floor(((performance.now() - startedAt) / 1000) * 10_000);
    for (const res of pending) res.emit('finish');
    pending = [];
    for (; sent < due; sent++) {
      const res = new Response();
      res.statusCode = sent % 100 === 0 ? 503 : 200;
      middleware(request(sent), res, next);
      pending.push(res);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  for (const res of pending) res.emit('finish');
  const pollMs = [];
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    seqpulse.collect();
    pollMs.push(performance.now() - t);
  }
  const metrics = seqpulse.collect().metrics;
  globalThis.gc();
  const after = process.memoryUsage();
  pollMs.sort((a, b) => a - b);
  return {
    sent,
    rate: sent / ((performance.now() - startedAt) / 1000),
    heap: after.heapUsed - before.heapUsed,
    rss: after.rss - before.rss,
    rssTotal: after.rss,
    pollMedianMs: quantile(pollMs, 0.5),
    metrics,
  };
}

const latency = await addedLatency();
console.log(
  `added latency per request: median ${latency.median.toFixed(2)} µs, p99 ${latency.p99.toFixed(2)} µs (${latency.samples} requests)`,
);
console.log(`target < 5 µs median: ${latency.median < 5 ? 'met' : 'NOT met'}`);
const memory = await memoryAt10k();
console.log(
  `memory at ${Math.round(memory.rate)} req/s for ${seconds} s (${memory.sent} requests): heap +${mb(memory.heap)}, RSS +${mb(memory.rss)} (process RSS ${mb(memory.rssTotal)})`,
);
console.log(`one poll (collect over a full window): median ${memory.pollMedianMs.toFixed(2)} ms; served ${JSON.stringify(memory.metrics)}`);
