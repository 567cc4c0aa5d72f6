#!/usr/bin/env node
// Alerts benchmark (issue 5): evaluation time of the five rules over 1,000 and 10,000 monitored project-envs,
// and alert latency (first offending sample → webhook received). It drives the API's own AlertEvaluator and
// notification dispatcher (TypeScript sources through ts-node) on an embedded Postgres; figures go to stdout.
//
//   node bench/alerts.bench.mjs
//   BENCH_SIZES=1000 BENCH_LATENCY_TRIALS=3 node bench/alerts.bench.mjs     # quick
//   BENCH_HISTORY_MIN=60 node bench/alerts.bench.mjs                         # an hour of older samples per env too
//   BENCH_DATABASE_URL=postgres://… node bench/alerts.bench.mjs              # an external Postgres instead
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const res = spawnSync(process.execPath, ['-r', join(here, 'alerts', 'ts-register.cjs'), join(here, 'alerts', 'alerts-bench.ts')], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(res.status ?? 1);
