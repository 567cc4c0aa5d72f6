#!/usr/bin/env node
// Verdicts benchmark (issue 12): one recomputation pass over 1,000 deployments in their observation windows,
// and the CPU cost of 1,000 `verdict?wait` long polls while they wait. It runs the real API (TypeScript sources
// through ts-node) on an embedded Postgres; figures go to stdout.
//
//   node bench/verdicts.bench.mjs
//   BENCH_DEPLOYMENTS=200 BENCH_RUNS=5 node bench/verdicts.bench.mjs     # quick
//   BENCH_DATABASE_URL=postgres://… node bench/verdicts.bench.mjs         # an external Postgres instead
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const res = spawnSync(process.execPath, ['-r', join(here, 'alerts', 'ts-register.cjs'), join(here, 'verdicts', 'verdicts-bench.ts')], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(res.status ?? 1);
