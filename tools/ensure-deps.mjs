// Makes `npm start` and `npm test` work on a fresh clone: installs node_modules from the lockfile when they
// are missing or older than it, and (for the browser tests) Debian's chromium when it is missing.
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

export function ensureChromium(root) {
  if (process.env.CHROMIUM_PATH || existsSync('/usr/bin/chromium')) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    process.stderr.write(
      "[setup] the browser tests need Chromium: install Debian's `chromium` package (or set CHROMIUM_PATH to its binary)\n",
    );
    process.exit(1);
  }
  process.stdout.write('[setup] installing chromium (apt-get)…\n');
  run('apt-get', ['update', '-qq'], root);
  run('apt-get', ['install', '-y', '-qq', 'chromium'], root);
}
