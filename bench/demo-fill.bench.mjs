#!/usr/bin/env node
// Demo history fill benchmark (issue 14): the first start's 7 days × 3 envs written through each path of the real
// SamplesStore, then rolled up.
//   node bench/demo-fill.bench.mjs
//   BENCH_ROUNDS=3 node bench/demo-fill.bench.mjs
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const res = spawnSync(process.execPath, ['-r', join(here, 'alerts', 'ts-register.cjs'), join(here, 'collection', 'demo-fill-bench.ts')], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(res.status ?? 1);
