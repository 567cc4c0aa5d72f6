#!/usr/bin/env node
// Measures the initial JavaScript of the built dashboard (every script and modulepreload that
// index.html loads) gzip-compressed, and fails above the limit (issue 6: < 120 kB compressed).
// Usage: node apps/dashboard/scripts/check-bundle-size.mjs [distDir] [limitKb]
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? 'dist/apps/dashboard/browser';
const limitKb = Number(process.argv[3] ?? 120);
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set();
for (const m of html.matchAll(/<script[^>]+src="([^"]+\.js)"/g)) initial.add(m[1]);
for (const m of html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)) initial.add(m[1]);
for (const m of html.matchAll(/<link[^>]+href="([^"]+\.js)"[^>]+rel="modulepreload"/g)) initial.add(m[1]);

// Follow static imports of the initial chunks (esbuild splits shared code into chunk-*.js).
const queue = [...initial];
while (queue.length) {
  const file = queue.pop();
  const src = readFileSync(join(dist, file), 'utf8');
  for (const m of src.matchAll(/(?:^|[;\s}])import(?:[^"'()]*?from)?\s*"\.\/([\w.-]+\.js)"/g)) {
    if (!initial.has(m[1])) {
      initial.add(m[1]);
      queue.push(m[1]);
    }
  }
}

let raw = 0;
let gz = 0;
const rows = [];
for (const file of initial) {
  const buf = readFileSync(join(dist, file));
  const z = gzipSync(buf, { level: 9 }).length;
  raw += buf.length;
  gz += z;
  rows.push([file, buf.length, z]);
}
const lazy = readdirSync(dist).filter((f) => f.endsWith('.js') && !initial.has(f));
let lazyGz = 0;
let echartsGz = 0;
for (const f of lazy) {
  const buf = readFileSync(join(dist, f));
  const z = gzipSync(buf, { level: 9 }).length;
  lazyGz += z;
  if (buf.includes('echarts') && buf.length > 300_000) echartsGz = z;
}
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
for (const [f, r, z] of rows.sort((a, b) => b[2] - a[2])) console.log(`  ${f.padEnd(28)} ${kb(r).padStart(10)} ${kb(z).padStart(10)} gz`);
console.log(`initial JS: ${initial.size} files, ${kb(raw)} raw, ${kb(gz)} gzip (limit ${limitKb} kB)`);
console.log(`lazy JS: ${lazy.length} files, ${kb(lazyGz)} gzip in total; echarts chunk ${kb(echartsGz)} gzip`);
if (gz > limitKb * 1024) {
  console.error(`FAIL: initial JS ${kb(gz)} gzip exceeds ${limitKb} kB`);
  process.exit(1);
}
