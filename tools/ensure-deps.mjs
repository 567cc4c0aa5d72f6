// Makes `npm start` and `npm test` work on a fresh clone: installs node_modules from the lockfile when they
// are missing or older than it, and Debian's chromium (browser tests), pgbouncer and postgresql-15 (integration
// tests) when missing.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(cmd, args, root) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, SCARF_ANALYTICS: 'false' } });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

export function ensureNodeModules(root) {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  process.stdout.write('[setup] installing dependencies (npm ci)…\n');
  run('npm', ['ci', '--no-audit', '--no-fund'], root);
}

/** Installs a Debian package the tests need when it is missing (as root with apt-get), else says what to install. */
function ensureDebianPackage(root, { pkg, binary, envVar, why }) {
  if ((envVar && process.env[envVar]) || existsSync(binary)) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    process.stderr.write(`[setup] ${why}: install Debian's \`${pkg}\` package${envVar ? ` (or set ${envVar} to its binary)` : ''}\n`);
    process.exit(1);
  }
  process.stdout.write(`[setup] installing ${pkg} (apt-get)…\n`);
  run('apt-get', ['update', '-qq'], root);
  run('apt-get', ['install', '-y', '-qq', pkg], root);
}

export function ensureChromium(root) {
  ensureDebianPackage(root, {
    pkg: 'chromium',
    binary: '/usr/bin/chromium',
    envVar: 'CHROMIUM_PATH',
    why: 'the browser tests need Chromium',
  });
}

export function ensurePgBouncer(root) {
  ensureDebianPackage(root, {
    pkg: 'pgbouncer',
    binary: '/usr/sbin/pgbouncer',
    envVar: 'SEQPULSE_TEST_PGBOUNCER',
    why: 'the integration tests run SeqPulse behind PgBouncer in transaction mode',
  });
}

export function ensurePostgres15(root) {
  ensureDebianPackage(root, {
    pkg: 'postgresql-15',
    binary: '/usr/lib/postgresql/15/bin/pg_basebackup',
    envVar: 'SEQPULSE_TEST_PG_BIN',
    why: 'the integration tests read from a real streaming replica (pg_basebackup)',
  });
}
