#!/usr/bin/env node
// `npm test`: every test of every project: lint, unit tests, API integration tests on a real
// Postgres, and the dashboard's browser tests against the product started as `npm start` starts it.
import { spawnSync } from 'node:child_process';
import { NX_ENV } from './nx-env.mjs';

const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['lint', 'test', 'int-test', 'e2e'];
const res = spawnSync('npx', ['nx', 'run-many', '-t', ...targets, '--parallel=1', '--outputStyle=static'], {
  env: { ...process.env, ...NX_ENV, CI: 'true' },
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
