// Makes `npm start` and `npm test` work on a fresh clone: installs node_modules from the lockfile when they
// are missing or older than it, and Debian's chromium (browser tests), pgbouncer, postgresql-15 and pg_auto_failover
// (integration tests, the failover drill) when missing.
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

/**
 * Installs Debian packages the tests need when missing (as root with apt-get), else says what to install and stops,
 * or, for `optional` ones (tests that skip without them), carries on.
 */
function ensureDebianPackage(root, { pkg, binary, envVar, why, optional = false }) {
  if ((envVar && process.env[envVar]) || existsSync(binary)) return;
  const pkgs = pkg.split(' ');
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    process.stderr.write(`[setup] ${why}: install Debian's \`${pkg}\`${envVar ? ` (or set ${envVar} to its binary)` : ''}\n`);
    if (optional) return;
    process.exit(1);
  }
  process.stdout.write(`[setup] installing ${pkg} (apt-get)…\n`);
  run('apt-get', ['update', '-qq'], root);
  run('apt-get', ['install', '-y', '-qq', ...pkgs], root);
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

/** The failover drill (apps/api/src/cluster/failover-drill.int-spec.ts) skips without it. */
export function ensurePgAutoFailover(root) {
  ensureDebianPackage(root, {
    pkg: 'postgresql-15-auto-failover pg-auto-failover-cli',
    binary: '/usr/bin/pg_autoctl',
    envVar: 'SEQPULSE_TEST_PG_AUTOCTL',
    why: 'the failover drill runs pg_auto_failover (it is skipped without)',
    optional: true,
  });
}
