#!/usr/bin/env node
// Storage benchmark (issue 16): bytes per stored 5-metric sample before and after compaction of closed days,
// and the time-series latency of a compacted day against a live one, through the real store code.
//   node bench/storage.bench.mjs
//   BENCH_ENVS=100 BENCH_DAYS=3 node bench/storage.bench.mjs
//   BENCH_DATABASE_URL=postgres://… BENCH_COMPRESSION=lz4 node bench/storage.bench.mjs   (a server built with lz4, e.g. Debian's)
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const res = spawnSync(process.execPath, ['-r', join(here, 'alerts', 'ts-register.cjs'), join(here, 'samples', 'storage-bench.ts')], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(res.status ?? 1);
