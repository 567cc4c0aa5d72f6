#!/usr/bin/env node
// `npm start`: builds what is out of date (Nx cache), then runs the whole product on one port:
// the API serving the built dashboard, on the embedded Postgres unless DATABASE_URL is set,
// plus, in demo mode, the simulated customer fleet it polls. The demo (SEQPULSE_DEMO) is on by default only on the
// embedded database: with DATABASE_URL set, the product starts empty unless SEQPULSE_DEMO=true is given.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NX_ENV } from './nx-env.mjs';
import { ensureNodeModules } from './ensure-deps.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = { ...process.env, ...NX_ENV };
// Same rule as the API's AppConfig (true/1/yes).
const demo = env.SEQPULSE_DEMO ? ['true', '1', 'yes'].includes(env.SEQPULSE_DEMO.toLowerCase()) : !env.DATABASE_URL;
const dataDir = resolve(root, env.SEQPULSE_DATA_DIR ?? '.data');
const children = [];

function log(msg) {
  process.stdout.write(`[start] ${msg}\n`);
}

function build() {
  if (env.SEQPULSE_SKIP_BUILD === 'true') return;
  log('building api, dashboard and demo fleet (cached when unchanged)…');
  const res = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', 'api', 'dashboard', 'demo-fleet', '--outputStyle=static'], {
    cwd: root,
    env: { ...env, CI: 'true' },
    stdio: 'inherit',
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

/**
 * The HMAC secrets shared by the demo's verifiers (the fleet's checkout targets, the storefront) and the seeded
 * demo projects (signers). A secret missing from an older file is added.
 */
function demoSecretsFile() {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'demo-fleet-secrets.json');
  const secrets = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const checkout = secrets['checkout-prod'] ?? randomBytes(32).toString('base64url');
  const wanted = { 'checkout-prod': checkout, 'checkout-staging': checkout, 'storefront-prod': randomBytes(32).toString('base64url') };
  const missing = Object.keys(wanted).filter((k) => !secrets[k]);
  if (missing.length) {
    for (const k of missing) secrets[k] = wanted[k];
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return { file, secrets };
}

function run(name, script, extraEnv) {
  const child = spawn(process.execPath, [script], { cwd: root, env: { ...env, ...extraEnv }, stdio: 'inherit' });
  children.push(child);
  child.on('exit', (code, signal) => {
    log(`${name} exited (${signal ?? code})`);
    shutdown(code ?? 1);
  });
  return child;
}

let stopping = false;
function shutdown(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 200).unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

ensureNodeModules(root);
build();
const apiEnv = { SEQPULSE_DATA_DIR: dataDir, SEQPULSE_DEMO: String(demo) };
if (demo) {
  const fleetPort = env.SEQPULSE_DEMO_FLEET_PORT ?? '4100';
  const secrets = demoSecretsFile();
  run('demo fleet', join(root, 'dist/apps/demo-fleet/main.js'), {
    DEMO_FLEET_PORT: fleetPort,
    DEMO_FLEET_HOST: '127.0.0.1',
    DEMO_FLEET_SECRETS_FILE: secrets.file,
  });
  // The demo's customer service instrumented with @seqpulse/node, configured as docs/connect-a-service.md says.
  const storefrontPort = env.SEQPULSE_DEMO_STOREFRONT_PORT ?? '4101';
  run('demo storefront', join(root, 'dist/apps/demo-fleet/storefront.js'), {
    DEMO_STOREFRONT_PORT: storefrontPort,
    SEQPULSE_HMAC_SECRET: secrets.secrets['storefront-prod'],
  });
  Object.assign(apiEnv, {
    SEQPULSE_DEMO_FLEET_URL: `http://127.0.0.1:${fleetPort}`,
    SEQPULSE_DEMO_STOREFRONT_URL: `http://127.0.0.1:${storefrontPort}`,
    SEQPULSE_DEMO_SECRETS_FILE: secrets.file,
  });
}
run('api', join(root, 'dist/apps/api/main.js'), apiEnv);
log(
  demo
    ? `SeqPulse Realtime demo starting on http://127.0.0.1:${env.PORT ?? 3000}/ (demo@seqpulse.local / seqpulse-demo-2026, admin@seqpulse.local / seqpulse-admin-demo; loopback only unless HOST is set)`
    : `SeqPulse Realtime starting on port ${env.PORT ?? 3000} (no demo; the administrator comes from SEQPULSE_ADMIN_EMAIL / SEQPULSE_ADMIN_PASSWORD)`,
);
