import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const workspace = resolve(__dirname, '../../../..');
const packageDir = join(workspace, 'dist/libs/sdk-node');

/** Versions a new user would get today; pinned so the test is repeatable. */
export const FRAMEWORKS = { express: '5.3.0', fastify: '5.12.8' };

/**
 * `npm pack` of the built package, installed with Express and Fastify into a fresh directory outside the
 * workspace: nothing resolves to the monorepo, exactly as on a customer's machine.
 */
export function installPackedSdk(): string {
  if (!readFileSync(join(packageDir, 'package.json'), 'utf8').includes('"@seqpulse/node"')) {
    throw new Error('dist/libs/sdk-node is missing: run `npx nx build sdk-node` (the e2e target depends on it)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'seqpulse-sdk-e2e-'));
  const tarball = execFileSync('npm', ['pack', packageDir, '--pack-destination', dir, '--silent'], { encoding: 'utf8' }).trim();
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'sdk-e2e-apps',
      private: true,
      dependencies: { '@seqpulse/node': `file:./${tarball}`, express: FRAMEWORKS.express, fastify: FRAMEWORKS.fastify },
    }),
  );
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  writeFileSync(join(dir, 'express-app.cjs'), EXPRESS_APP);
  writeFileSync(join(dir, 'fastify-app.mjs'), FASTIFY_APP);
  return dir;
}

/** Each app: `/work?ms=<delay>&status=<code>` answers after the delay with the status. */
const EXPRESS_APP = `
const express = require('express');
const seqpulse = require('@seqpulse/node');

seqpulse.init({ endpoint: '/seqpulse-metrics', hmacEnabled: true, hmacSecret: process.env.APP_SECRET, windowSeconds: Number(process.env.WINDOW_S) });
const app = express();
app.use(seqpulse.metrics());
app.get('/work', (req, res) => setTimeout(() => res.status(Number(req.query.status)).send('done'), Number(req.query.ms)));
const server = app.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
`;

/** ESM, and configured from the environment only (SEQPULSE_HMAC_SECRET). */
const FASTIFY_APP = `
import Fastify from 'fastify';
import seqpulse from '@seqpulse/node';

seqpulse.init({ windowSeconds: Number(process.env.WINDOW_S) });
const app = Fastify();
await app.register(seqpulse.fastify);
app.get('/work', async (request, reply) => {
  await new Promise((r) => setTimeout(r, Number(request.query.ms)));
  return reply.code(Number(request.query.status)).send('done');
});
await app.listen({ port: 0, host: '127.0.0.1' });
console.log('listening ' + app.server.address().port);
`;

export interface RunningApp {
  url: string;
  process: ChildProcess;
  stop(): void;
}

export function startApp(dir: string, file: string, env: Record<string, string>): Promise<RunningApp> {
  const child = spawn(process.execPath, [join(dir, file)], {
    cwd: dir,
    env: { PATH: process.env['PATH'], ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolvePort, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const port = /listening (\d+)/.exec(chunk)?.[1];
      if (port) resolvePort({ url: `http://127.0.0.1:${port}`, process: child, stop: () => child.kill('SIGTERM') });
    });
  });
}

/** The load every app gets: known rate, latency mix and error ratio. */
export const LOAD = {
  ratePerSec: 40,
  /** 3 requests in 20 take SLOW_MS, the rest FAST_MS: the p95 falls among the slow ones. */
  fastMs: 10,
  slowMs: 80,
  /** 1 request in 10 answers 500 (an error); 1 in 20 answers 404 (not an error). */
  errorRatio: 0.1,
};

function plannedRequest(i: number): { ms: number; status: number } {
  const ms = [3, 7, 13].includes(i % 20) ? LOAD.slowMs : LOAD.fastMs;
  const status = i % 10 === 0 ? 500 : i % 20 === 5 ? 404 : 200;
  return { ms, status };
}

/** One answered request as the load generator saw it. */
export interface Observed {
  /** Wall-clock time the response ended (Date.now, the clock `collected_at` uses). */
  doneAtMs: number;
  latencyMs: number;
  status: number;
}

/**
 * Sends requests at LOAD.ratePerSec on average: each 10 ms tick sends whatever the schedule says is due, so a
 * late timer catches up instead of lowering the rate. Records what it observed, so a stored sample can be
 * compared with the load that really reached the app (on a loaded machine that differs from the plan).
 * Stops by itself after `maxSeconds`.
 */
export function startLoad(url: string, maxSeconds: number): { observed: Observed[]; stop(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const startedAt = performance.now();
  const observed: Observed[] = [];
  let sent = 0;
  const tick = setInterval(() => {
    const elapsed = (performance.now() - startedAt) / 1000;
    if (elapsed > maxSeconds) return stop();
    while (sent < Math.floor(elapsed * LOAD.ratePerSec)) {
      const { ms, status } = plannedRequest(sent++);
      const sentAt = performance.now();
      request(`${url}/work?ms=${ms}&status=${status}`, { agent }, (res) => {
        res
          .resume()
          .on('end', () => observed.push({ doneAtMs: Date.now(), latencyMs: performance.now() - sentAt, status: res.statusCode ?? 0 }));
      })
        .on('error', () => undefined)
        .end();
    }
  }, 10);
  const stop = () => {
    clearInterval(tick);
    agent.destroy();
  };
  return { observed, stop };
}

/** What the load generator saw in the window that ends at `endMs`: rate, error ratio, p95 of its latencies. */
export function observedWindow(observed: Observed[], endMs: number, windowS: number): { rate: number; errorRatio: number; p95: number } {
  const inWindow = observed.filter((o) => o.doneAtMs > endMs - windowS * 1000 && o.doneAtMs <= endMs);
  const latencies = inWindow.map((o) => o.latencyMs).sort((a, b) => a - b);
  return {
    rate: inWindow.length / windowS,
    errorRatio: inWindow.filter((o) => o.status >= 500).length / Math.max(1, inWindow.length),
    p95: latencies[Math.floor(0.95 * (latencies.length - 1))] ?? 0,
  };
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
export function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticksPerSecond = 100; // USER_HZ on Linux
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

export function rssBytesOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) * 1024;
}
