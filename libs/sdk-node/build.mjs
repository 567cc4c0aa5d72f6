#!/usr/bin/env node
// Builds the publishable @seqpulse/node package into dist/libs/sdk-node:
//   index.cjs / index.mjs  the library (CommonJS and ESM), with @seqpulse/hmac bundled in, so the
//                          tarball depends on nothing from this workspace;
//   cli.cjs                the `seqpulse` command;
//   types/                 declarations (tsc), the workspace alias rewritten to relative paths.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(projectDir, '../..');
const outDir = join(root, 'dist/libs/sdk-node');
const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8'));

rmSync(outDir, { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  tsconfig: join(projectDir, 'tsconfig.lib.json'),
  // Runtime dependencies stay external (npm installs them); everything else, @seqpulse/hmac included, is bundled.
  external: Object.keys(pkg.dependencies ?? {}),
  legalComments: 'none',
  logLevel: 'warning',
};
await build({ ...common, entryPoints: [join(projectDir, 'src/index.ts')], format: 'cjs', outfile: join(outDir, 'index.cjs') });
await build({ ...common, entryPoints: [join(projectDir, 'src/index.ts')], format: 'esm', outfile: join(outDir, 'index.mjs') });
await build({
  ...common,
  entryPoints: [join(projectDir, 'src/cli/main.ts')],
  format: 'cjs',
  outfile: join(outDir, 'cli.cjs'), // keeps the #! line of src/cli/main.ts
});
chmodSync(join(outDir, 'cli.cjs'), 0o755);

// Declarations: emitted under types/<lib>/src/…, then `@seqpulse/hmac` imports pointed at the copy beside them.
const typesDir = join(outDir, 'types');
execFileSync(
  process.execPath,
  [
    join(root, 'node_modules/typescript/bin/tsc'),
    '-p',
    join(projectDir, 'tsconfig.lib.json'),
    '--emitDeclarationOnly',
    '--declaration',
    '--declarationMap',
    'false',
    '--rootDir',
    join(root, 'libs'),
    '--outDir',
    typesDir,
  ],
  { stdio: 'inherit' },
);
for (const file of walk(typesDir)) {
  if (!file.endsWith('.d.ts')) continue;
  const text = readFileSync(file, 'utf8');
  const target = posix.join(...relative(dirname(file), join(typesDir, 'hmac/src/index')).split(/[\\/]/));
  const rewritten = text.replaceAll(/(['"])@seqpulse\/hmac\1/g, `'${target.startsWith('.') ? target : `./${target}`}'`);
  if (/@seqpulse\/(?!node)/.test(rewritten)) throw new Error(`${file} still imports a workspace library`);
  if (rewritten !== text) writeFileSync(file, rewritten);
}

writeFileSync(join(outDir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
copyFileSync(join(projectDir, 'README.md'), join(outDir, 'README.md'));
console.log(`built ${pkg.name}@${pkg.version} into ${relative(root, outDir)}`);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
