#!/usr/bin/env node
// Samples store benchmark (issue 3): rows/s accepted in batches through the real SamplesStore.
//   node bench/store.bench.mjs
//   BENCH_BATCHES=1000 BENCH_ROWS=100000 node bench/store.bench.mjs
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const res = spawnSync(process.execPath, ['-r', join(here, 'alerts', 'ts-register.cjs'), join(here, 'collection', 'store-bench.ts')], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(res.status ?? 1);
