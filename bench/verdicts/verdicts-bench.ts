/**
 * Verdicts benchmark (issue 12). Prints figures; it is not a test. Run through `node bench/verdicts.bench.mjs`.
 *
 * 1. One recomputation pass (DeploymentImpactService.recompute) over BENCH_DEPLOYMENTS (default 1,000) Enterprise
 *    projects, each with a deployment half way through its 30-minute observation window: 120 pre samples and 60
 *    post samples per deployment, every 15 s. The cold pass (every pre window read once), then BENCH_RUNS steady
 *    passes, each after one more post sample per deployment (what one collection interval brings).
 * 2. Long polls: BENCH_DEPLOYMENTS `GET /deployments/:id/verdict?wait=600` held open over real HTTP; the CPU the
 *    process spends while they wait, and how fast they are all answered once their verdicts turn rollback.
 */
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../apps/api/src/app/config/app-config';
import { createApp } from '../../apps/api/src/app/create-app';
import { DeploymentImpactService } from '../../apps/api/src/app/deployment-impact/deployment-impact.service';
import { VerdictWaiters } from '../../apps/api/src/app/deployment-impact/verdict-waiters';
import { SamplesStore } from '../../apps/api/src/app/samples/samples.store';
import { harness } from '../lib/harness';

const N = Number(process.env.BENCH_DEPLOYMENTS ?? 1000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const IDLE_S = Number(process.env.BENCH_IDLE_S ?? 10);
const ADMIN = { email: 'bench-admin@seqpulse.test', password: 'bench-admin-password' };

const log = (...args: unknown[]) => console.log(...args);
const ms = (v: number) => `${v.toFixed(0)} ms`;
function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { p50: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

async function main() {
  Logger.overrideLogger(false);
  const pg = await harness.startScratchPostgres('seqpulse-bench-verdicts-');
  let app: NestExpressApplication | null = null;
  try {
    const url = await harness.freshDatabase(pg.url, 'bench_verdicts');
    const config = loadConfig({
      DATABASE_URL: url,
      SEQPULSE_DEMO: 'false',
      SEQPULSE_DATA_DIR: mkdtempSync(join(tmpdir(), 'seqpulse-bench-')),
      SEQPULSE_ADMIN_EMAIL: ADMIN.email,
      SEQPULSE_ADMIN_PASSWORD: ADMIN.password,
      SEQPULSE_SECRET_KEY: 'cd'.repeat(32),
      LOG_LEVEL: 'silent',
      // API role: no collector (the seeded projects are never polled) and no worker timers; the benchmark drives
      // the passes itself
      SEQPULSE_ROLE: 'api',
      SEQPULSE_VERDICT_INTERVAL_S: '0',
      SEQPULSE_ALERT_EVAL_INTERVAL_S: '0',
      SEQPULSE_NOTIFY_INTERVAL_MS: '0',
    });
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const db = app.get(DataSource);
    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    const token = ((await login.json()) as { access_token: string }).access_token;
    const [admin] = await db.query(`SELECT id FROM users WHERE email = $1`, [ADMIN.email]);

    // N enterprise projects (rollout general), each with a deployment finished 15 minutes ago (30-minute windows)
    const now = new Date(Math.floor(Date.now() / 15_000) * 15_000);
    const finishedAt = new Date(now.getTime() - 15 * 60_000);
    const startedAt = new Date(finishedAt.getTime() - 60_000);
    await db.query(`UPDATE rollout_settings SET stage = 'general' WHERE id = 1`);
    await db.query(
      `INSERT INTO projects (owner_id, name, plan, envs, metrics_endpoint) SELECT $1, 'bench-' || g, 'enterprise', ARRAY['prod'], 'http://127.0.0.1:9/metrics'
         FROM generate_series(1, $2) g`,
      [admin.id, N],
    );
    const deployments: { id: string }[] = await db.query(
      `INSERT INTO deployments (project_id, env, branch, started_at, finished_at, result)
       SELECT id, 'prod', 'main', $1, $2, 'success' FROM projects RETURNING id`,
      [startedAt, finishedAt],
    );
    const store = app.get(SamplesStore);
    const seedFrom = new Date(startedAt.getTime() - 30 * 60_000);
    await store.ensurePartitions(seedFrom, new Date(now.getTime() + 3_600_000));
    const seed = (from: Date, to: Date, errorRate: string) =>
      db.query(
        `INSERT INTO samples (project_id, env, phase, slot_at, collected_at, requests_per_sec, latency_p95, error_rate, cpu_usage, memory_usage)
         SELECT p.id, 'prod', 'pre', s.slot, s.slot + interval '300 milliseconds',
                10 + random() * 5, 140 + random() * 30, ${errorRate}, 0.3 + random() * 0.1, 0.5 + random() * 0.1
           FROM generate_series($1::timestamptz, $2::timestamptz, interval '15 seconds') AS s(slot) CROSS JOIN projects p
          ORDER BY s.slot, p.id`,
        [from, to],
      );
    const t0 = performance.now();
    await seed(seedFrom, new Date(now.getTime() - 15_000), 'random() * 0.002');
    await db.query('VACUUM ANALYZE samples');
    const [{ rows }] = await db.query(`SELECT count(*)::int AS rows FROM samples`);
    log(`# SeqPulse verdicts benchmark — node ${process.version}, ${require('node:os').cpus().length} CPU(s)`);
    log(
      `\n${N.toLocaleString('en')} deployments half way through their 30-minute observation windows: ${rows.toLocaleString('en')} samples, seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const service = app.get(DeploymentImpactService);
    const pass = async (at: Date) => {
      const r = await service.recompute(at);
      if (!r.ran || r.computed !== N) throw new Error(`pass: ${JSON.stringify(r)}`);
      return r;
    };
    const cold = await pass(now);
    const steady: number[] = [];
    const phases = { read: [] as number[], compute: [] as number[], write: [] as number[] };
    for (let i = 1; i <= RUNS; i++) {
      const slot = new Date(now.getTime() + (i - 1) * 15_000);
      await seed(slot, slot, 'random() * 0.002'); // one more post sample per deployment
      const r = await pass(new Date(slot.getTime() + 1_000));
      steady.push(r.durationMs);
      for (const k of ['read', 'compute', 'write'] as const) phases[k].push(r.phasesMs?.[k] ?? NaN);
    }
    const s = stats(steady);
    log('\n| pass | deployments | time |');
    log('|---|---|---|');
    log(`| cold (every pre window read, every verdict stored) | ${N.toLocaleString('en')} | ${ms(cold.durationMs)} |`);
    log(
      `| steady, after one more sample each: p50 / p95 / max of ${RUNS} | ${N.toLocaleString('en')} | ${ms(s.p50)} / ${ms(s.p95)} / ${ms(s.max)} |`,
    );
    log(
      `\nsteady pass, p50 by phase: read (deployments, verdict states, samples) ${ms(stats(phases.read).p50)}, statistics ${ms(stats(phases.compute).p50)}, store + announce ${ms(stats(phases.write).p50)}; cold: ${JSON.stringify(cold.phasesMs)}`,
    );

    // The process's own background work (timers of the other modules) with no long poll, as the reference.
    const idleCpu = async () => {
      const cpu0 = process.cpuUsage();
      const wall0 = performance.now();
      await new Promise((r) => setTimeout(r, IDLE_S * 1000));
      const cpu = process.cpuUsage(cpu0);
      const used = (cpu.user + cpu.system) / 1000;
      return `${ms(used)} (${((used / (performance.now() - wall0)) * 100).toFixed(2)} % of one core)`;
    };
    log(`\nCPU of the process over ${IDLE_S} s with no long poll (its other timers): ${await idleCpu()}`);
    // Long polls: every deployment's verdict is `ok`, not final: each `verdict?wait=600` waits.
    const waiters = app.get(VerdictWaiters);
    const abort = new AbortController();
    const started = performance.now();
    const early: number[] = []; // statuses of requests answered before the pass (should be none)
    let passStart = Infinity;
    const answers = deployments.map((d) =>
      fetch(`${base}/deployments/${d.id}/verdict?wait=600`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal })
        .then(async (r) => {
          const answer = { at: performance.now(), status: r.status, body: (await r.json()) as { verdict: string } };
          if (answer.at < passStart) early.push(r.status);
          return answer;
        })
        .catch(() => null),
    );
    const deadline = Date.now() + 120_000;
    while (waiters.waiting + early.length < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    log(
      `\n${waiters.waiting.toLocaleString('en')} long polls waiting after ${ms(performance.now() - started)}` +
        (early.length ? ` (${early.length} answered early: statuses ${[...new Set(early)].join(', ')})` : ''),
    );
    log(`CPU of the process over ${IDLE_S} s while they wait (API + the idle clients): ${await idleCpu()}`);
    // A bad minute everywhere: every verdict turns rollback_recommended, every waiter is answered.
    const slot = new Date(now.getTime() + RUNS * 15_000);
    for (let i = 0; i < 6; i++) await seed(new Date(slot.getTime() + i * 15_000), new Date(slot.getTime() + i * 15_000), '0.2');
    passStart = performance.now();
    await pass(new Date(slot.getTime() + 6 * 15_000 + 1_000));
    const results = await Promise.race([Promise.all(answers), new Promise<null[]>((resolve) => setTimeout(() => resolve([]), 120_000))]);
    const rollback = results.filter((r) => r?.body.verdict === 'rollback_recommended');
    const latencies = rollback.map((r) => (r as { at: number }).at - passStart);
    log(
      `after a pass turning them all rollback_recommended: ${rollback.length.toLocaleString('en')} of ${N.toLocaleString('en')} answered, the last ${ms(Math.max(...latencies))} after the pass started`,
    );
    abort.abort();
  } finally {
    await app?.close();
    await pg.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
