#!/usr/bin/env node
// Alert latency benchmark (issue 13): offending sample stored → webhook received on loopback, with the envs that
// just received samples evaluated as they arrive, at 1,000 monitored envs; p50/p95/p99. Drives the API's own
// classes (TypeScript sources through ts-node) on an embedded Postgres; figures go to stdout. About 2.5 minutes.
//
//   node bench/alert-latency.bench.mjs
//   BENCH_TRIALS=20 node bench/alert-latency.bench.mjs                  # quick
//   BENCH_ENVS=10000 node bench/alert-latency.bench.mjs                 # a larger fleet
//   BENCH_DATABASE_URL=postgres://… node bench/alert-latency.bench.mjs  # an external Postgres instead
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const res = spawnSync(process.execPath, ['-r', join(here, 'alerts', 'ts-register.cjs'), join(here, 'alerts', 'alert-latency-bench.ts')], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(res.status ?? 1);
