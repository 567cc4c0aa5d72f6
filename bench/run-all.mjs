#!/usr/bin/env node
// `npm run bench`: every benchmark in turn (needs `npx nx run-many -t build -p api demo-fleet` first).
// Each prints its own figures; see docs/performance.md for the recorded ones. Long: the time-series seed is ~40 M rows.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const benches = [
  'collection.bench.mjs',
  'store.bench.mjs',
  'alerts.bench.mjs',
  'timeseries.bench.mjs',
  'freshness.bench.mjs',
  'overview.bench.mjs',
];
for (const bench of benches) {
  process.stdout.write(`\n=== ${bench} ===\n`);
  const res = spawnSync(process.execPath, [join(here, bench)], { stdio: 'inherit', env: process.env });
  if (res.status !== 0) process.exit(res.status ?? 1);
}
