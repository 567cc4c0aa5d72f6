#!/usr/bin/env node
// `npm test`: every test of every project: lint, unit tests, API integration tests on a real
// Postgres, and the dashboard's browser tests against the product started as `npm start` starts it.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NX_ENV } from './nx-env.mjs';
import { ensureChromium, ensureNodeModules, ensurePgAutoFailover, ensurePgBouncer, ensurePostgres15 } from './ensure-deps.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['lint', 'test', 'int-test', 'e2e'];
ensureNodeModules(root);
if (targets.includes('e2e')) ensureChromium(root);
if (targets.includes('int-test')) {
  ensurePgBouncer(root);
  ensurePostgres15(root);
  ensurePgAutoFailover(root);
}
if (targets.includes('lint')) {
  // Formatting is part of the tests: one style, checked before anything else runs.
  const format = spawnSync('npx', ['prettier', '--check', '.', '--log-level=warn'], { cwd: root, stdio: 'inherit' });
  if (format.status !== 0) {
    console.error('[test] prettier: files above are not formatted; run `npx prettier --write .`');
    process.exit(format.status ?? 1);
  }
}
const res = spawnSync('npx', ['nx', 'run-many', '-t', ...targets, '--parallel=1', '--outputStyle=static'], {
  cwd: root,
  env: { ...process.env, ...NX_ENV, CI: 'true' },
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
