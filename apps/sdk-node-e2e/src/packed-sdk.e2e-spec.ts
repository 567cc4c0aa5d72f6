import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
// The real API (real Postgres, real collector) as the API's own integration tests start it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startTestApp, TestApp, TEST_ADMIN } from '../../api/src/testing/test-app';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { waitFor } from '../../api/src/testing/fleet';
import { cpuSecondsOf, installPackedSdk, LOAD, observedWindow, RunningApp, rssBytesOf, startApp, startLoad } from './support/packed-apps';

/** Short window so the test needs one window of load plus one poll interval, not minutes. */
const WINDOW_S = 15;

/**
 * A stored sample is compared with what the load generator observed in the same window (the 15 s before
 * `collected_at`), which on an idle machine is the planned load (40 req/s, 10 % 5xx, 15 % of requests at
 * 80 ms) and on a loaded one is what the app really received. Stated tolerances:
 * - requests_per_sec within 10 % of the observed rate (requests in flight at the window's edges, and the
 *   generator's own timer lateness on a busy machine);
 * - error_rate within 0.02 of the observed 5xx ratio;
 * - latency_p95 at least the slow requests' delay (less the sketch's 1 %) and at most the p95 the client saw
 *   (plus the sketch's 1 % and 1 ms): the server's part of a request cannot exceed the round trip;
 * - cpu_usage within 50 % (or 0.02) of the app's CPU time from /proc over its cores, memory_usage within a
 *   factor 2 of its resident memory over the host's (the machines this runs on set no cgroup limit).
 */
describe('@seqpulse/node packed, installed outside the workspace, polled by the real collector with HMAC on', () => {
  let api: TestApp;
  let member: string;
  let admin: string;
  let appsDir: string;
  const apps: RunningApp[] = [];
  const loads: ReturnType<typeof startLoad>[] = [];

  beforeAll(async () => {
    [appsDir, api] = await Promise.all([
      Promise.resolve().then(installPackedSdk),
      startTestApp({ SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' }),
    ]);
    member = (await api.signupAndLogin()).token;
    admin = await api.login(TEST_ADMIN.email, TEST_ADMIN.password);
  }, 150_000);

  afterAll(async () => {
    for (const load of loads) load.stop();
    for (const app of apps) app.stop();
    await api?.close();
    if (appsDir) rmSync(appsDir, { recursive: true, force: true });
  });

  /** An enterprise project in the rollout with HMAC on; returns its id and secret. */
  async function signedProject(name: string): Promise<{ id: string; secret: string }> {
    const created = await api.call('POST', '/projects', {
      token: member,
      body: { name, envs: ['prod'], metrics_endpoint: 'http://127.0.0.1:9/seqpulse-metrics', hmac_enabled: true },
    });
    expect(created.status).toBe(201);
    await api.call('PUT', `/admin/projects/${created.body.id}/plan`, { token: admin, body: { plan: 'enterprise' } });
    return { id: created.body.id, secret: created.body.hmac_secret };
  }

  async function pointAt(id: string, app: RunningApp): Promise<void> {
    const patched = await api.call('PATCH', `/projects/${id}`, {
      token: member,
      body: { metrics_endpoint: `${app.url}/seqpulse-metrics` },
    });
    expect(patched.status).toBe(200);
  }

  it('stores what the Express (CommonJS) and Fastify (ESM) apps really served', async () => {
    const express = await signedProject('express-sdk');
    const fastify = await signedProject('fastify-sdk');
    const [expressApp, fastifyApp] = await Promise.all([
      startApp(appsDir, 'express-app.cjs', { APP_SECRET: express.secret, WINDOW_S: String(WINDOW_S) }),
      startApp(appsDir, 'fastify-app.mjs', { SEQPULSE_HMAC_SECRET: fastify.secret, WINDOW_S: String(WINDOW_S) }),
    ]);
    apps.push(expressApp, fastifyApp);
    const targets = [
      { name: 'Express', project: express, app: expressApp },
      { name: 'Fastify', project: fastify, app: fastifyApp },
    ];

    // HMAC is on: an unsigned request gets a bare 401.
    for (const { app } of targets) {
      const unsigned = await fetch(`${app.url}/seqpulse-metrics`);
      expect(unsigned.status).toBe(401);
      expect(await unsigned.json()).toEqual({ error: 'unauthorized' });
    }

    const loadStartedAt = Date.now();
    const cpuAtStart = targets.map(({ app }) => cpuSecondsOf(app.process.pid as number));
    const targetLoads = targets.map(({ app }) => startLoad(app.url, 90));
    loads.push(...targetLoads);
    for (const { project, app } of targets) await pointAt(project.id, app);
    const rollout = await api.call('PUT', '/admin/rollout', {
      token: admin,
      body: { stage: 'pilot', pilot_project_ids: targets.map((t) => t.project.id) },
    });
    expect(rollout.status).toBe(200);

    // A sample collected once a full window of load lies behind it.
    const settled = new Date(loadStartedAt + (WINDOW_S + 1) * 1000);
    const samples = await Promise.all(
      targets.map(({ project }) =>
        waitFor(
          `a settled sample of ${project.id}`,
          async () =>
            (
              await api.db.query(
                `SELECT collected_at, requests_per_sec, latency_p95, error_rate, cpu_usage, memory_usage
                   FROM samples WHERE project_id = $1 AND collected_at >= $2 ORDER BY collected_at LIMIT 1`,
                [project.id, settled],
              )
            ).rows[0],
          60_000,
          500,
        ),
      ),
    );

    targets.forEach(({ name, app }, i) => {
      const sample = samples[i];
      const pid = app.process.pid as number;
      const elapsedS = (Date.now() - loadStartedAt) / 1000;
      const expectedCpu = (cpuSecondsOf(pid) - cpuAtStart[i]) / elapsedS / availableParallelism();
      const expectedMemory = rssBytesOf(pid) / totalmem();
      const seen = observedWindow(targetLoads[i].observed, new Date(sample.collected_at).getTime(), WINDOW_S);
      console.log(
        `${name}: stored ${JSON.stringify(sample)}; observed ${JSON.stringify(seen)}, cpu ≈ ${expectedCpu.toFixed(4)}, memory ≈ ${expectedMemory.toFixed(4)}`,
      );
      expect(seen.rate).toBeGreaterThan(LOAD.ratePerSec / 2); // the load really ran
      expect(sample.requests_per_sec).toBeGreaterThan(seen.rate * 0.9);
      expect(sample.requests_per_sec).toBeLessThan(seen.rate * 1.1);
      expect(Math.abs(sample.error_rate - seen.errorRatio)).toBeLessThanOrEqual(0.02);
      expect(sample.latency_p95).toBeGreaterThanOrEqual(LOAD.slowMs * 0.99);
      expect(sample.latency_p95).toBeLessThanOrEqual(seen.p95 * 1.01 + 1);
      expect(Math.abs(sample.cpu_usage - expectedCpu)).toBeLessThanOrEqual(Math.max(0.02, expectedCpu * 0.5));
      expect(sample.memory_usage).toBeGreaterThan(expectedMemory / 2);
      expect(sample.memory_usage).toBeLessThan(expectedMemory * 2);
    });

    const failures = await api.db.query(`SELECT project_id, reason FROM collection_failures WHERE project_id = ANY($1::uuid[])`, [
      targets.map((t) => t.project.id),
    ]);
    expect(failures.rows).toEqual([]);
  }, 150_000);

  it('the packed CLI marks a deployment around a command against the real API', async () => {
    const project = await signedProject('cli-sdk');
    const key = await api.call('POST', '/api-keys', { token: member, body: { name: 'ci', scopes: ['deployments:write'] } });
    expect(key.status).toBe(201);
    const run = (code: number) =>
      promisify(execFile)(
        join(appsDir, 'node_modules/.bin/seqpulse'),
        [
          'deploy',
          '--project',
          project.id,
          '--env',
          'prod',
          '--idempotency-key',
          `build-${code}`,
          '--',
          process.execPath,
          '-e',
          `process.exit(${code})`,
        ],
        { env: { PATH: process.env['PATH'], SEQPULSE_URL: api.url, SEQPULSE_API_KEY: key.body.key } },
      ).then(
        () => 0,
        (error: { code: number }) => error.code,
      );
    expect(await run(0)).toBe(0);
    expect(await run(4)).toBe(4);
    const { rows } = await api.db.query(
      `SELECT idempotency_key, result, finished_at FROM deployments WHERE project_id = $1 ORDER BY started_at`,
      [project.id],
    );
    expect(rows).toEqual([
      { idempotency_key: 'build-0', result: 'success', finished_at: expect.any(Date) },
      { idempotency_key: 'build-4', result: 'failed', finished_at: expect.any(Date) },
    ]);
  }, 60_000);
});
