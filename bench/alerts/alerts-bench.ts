/**
 * Alerts benchmark (issue 5). Prints figures; it is not a test. Run through `node bench/alerts.bench.mjs`.
 *
 * 1. Evaluation time of all five rules over BENCH_SIZES (default 1000,10000) monitored project-envs, each with
 *    5 minutes of 15 s samples (plus BENCH_HISTORY_MIN minutes of older history, default 0): the real
 *    AlertEvaluator.evaluate(now) on a real Postgres, in the steady state (no transition), when 10 % of the envs
 *    fire (alerts + outbox rows + NOTIFY), when they resolve, and the worst case where every threshold rule of
 *    every env fires at once.
 * 2. Alert latency: wall clock from storing the first offending sample to the webhook receiving the
 *    notification, with the evaluator on its real 15 s schedule, the outbox dispatcher on its real 1 s tick,
 *    and BENCH_LATENCY_ENVS (default 1000) background envs fed a sample every 15 s like the collector does.
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import type { AlertWebhookPayload } from '@seqpulse/contracts';
import { AlertEvaluator, EvaluationResult } from '../../apps/api/src/app/alerts/alert-evaluator';
import { loadConfig } from '../../apps/api/src/app/config/app-config';
import { dataSourceOptions } from '../../apps/api/src/app/database/database.options';
import { runMigrations } from '../../apps/api/src/app/database/run-migrations';
import { NotificationDispatcher } from '../../apps/api/src/app/notifications/notification-dispatcher';
import { NotificationSender } from '../../apps/api/src/app/notifications/notification-sender';
import { NotificationsService } from '../../apps/api/src/app/notifications/notifications.service';
import type { ProjectsService } from '../../apps/api/src/app/projects/projects.service';
import { OperationalMetrics } from '../../apps/api/src/app/operational-metrics/operational-metrics';
import { TaskScheduler } from '../../apps/api/src/app/scheduler/task-scheduler';
import { NewSample, SamplesStore } from '../../apps/api/src/app/samples/samples.store';
import { TargetAddressPolicy } from '../../apps/api/src/app/target-address/target-address.policy';
import { harness } from '../lib/harness';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const HISTORY_MIN = Number(process.env.BENCH_HISTORY_MIN ?? 0);
const STEADY_RUNS = Number(process.env.BENCH_RUNS ?? 20);
const LATENCY_ENVS = Number(process.env.BENCH_LATENCY_ENVS ?? 1000);
const LATENCY_TRIALS = Number(process.env.BENCH_LATENCY_TRIALS ?? 8);
const SECRET = 'bench-hmac-secret-bench-hmac-secret';

const log = (...args: unknown[]) => console.log(...args);
const ms = (v: number) => `${v.toFixed(0)} ms`;
function stats(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { min: s[0], p50: q(0.5), p95: q(0.95), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

/** The evaluator and the notification side wired by hand (no HTTP server, no collector competing for the CPU). */
async function wire(url: string, env: Record<string, string>) {
  const config = loadConfig({
    DATABASE_URL: url,
    SEQPULSE_DEMO: 'false',
    SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const db = new DataSource(dataSourceOptions(url));
  await db.initialize();
  await runMigrations(db);
  const targets = new TargetAddressPolicy(config);
  const projects = {
    hmacSecretOf: async () => SECRET,
    namesOf: async (ids: string[]) => new Map(ids.map((id) => [id, 'bench'])),
  } as unknown as ProjectsService;
  const metrics = new OperationalMetrics();
  const tasks = new TaskScheduler(config, db, new SchedulerRegistry(), metrics);
  const notifications = new NotificationsService(db, config, projects, targets);
  const dispatcher = new NotificationDispatcher(db, config, new NotificationSender(config, targets), projects, tasks, metrics);
  const evaluator = new AlertEvaluator(db, config, tasks, notifications, dispatcher);
  // The evaluator and the outbox register their periodic tasks as in the product (started only by the latency run).
  evaluator.onModuleInit();
  dispatcher.onModuleInit();
  return { config, db, evaluator, dispatcher, tasks, store: new SamplesStore(db, metrics, config) };
}

/** `n` Enterprise projects with one env each, rollout `general`: `n` monitored project-envs. */
async function seedProjects(db: DataSource, n: number): Promise<string[]> {
  const [user] = await db.query(
    `INSERT INTO users (email, password_hash, role) VALUES ('bench-${n}@seqpulse.test', 'x', 'member') RETURNING id`,
  );
  const rows: { id: string }[] = await db.query(
    `INSERT INTO projects (owner_id, name, plan, envs, metrics_endpoint)
     SELECT $1, 'bench-' || g, 'enterprise', ARRAY['prod'], 'https://8.8.8.8/m' FROM generate_series(1, $2) g RETURNING id`,
    [user.id, n],
  );
  await db.query(`UPDATE rollout_settings SET stage = 'general' WHERE id = 1`);
  return rows.map((r) => r.id);
}

/** Samples every 15 s for every project-env in [from, to], written in time order, normal values (under every default threshold). */
async function seedSamples(db: DataSource, store: SamplesStore, from: Date, to: Date): Promise<number> {
  await store.ensurePartitions(from, to);
  const [{ n }] = await db.query(
    `WITH ins AS (
       INSERT INTO samples (project_id, env, phase, slot_at, collected_at, requests_per_sec, latency_p95, error_rate, cpu_usage, memory_usage)
       SELECT p.id, 'prod', 'pre', s.slot, s.slot + interval '300 milliseconds',
              10 + random() * 5, 100 + random() * 80, random() * 0.004, 0.2 + random() * 0.3, 0.3 + random() * 0.3
         FROM generate_series($1::timestamptz, $2::timestamptz, interval '15 seconds') AS s(slot) CROSS JOIN projects p
        ORDER BY s.slot, p.id -- time order, as the collector writes them
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [from, to],
  );
  await db.query('VACUUM ANALYZE samples');
  return n;
}

/** Silences and maintenance intervals on the first 1,000 projects (none matching an alert), settings on 10 %. */
async function seedAlertingSettings(db: DataSource, ids: string[], now: Date): Promise<void> {
  const some = ids.slice(0, 1000);
  const [user] = await db.query(`SELECT owner_id AS id FROM projects LIMIT 1`);
  await db.query(
    `INSERT INTO alert_silences (project_id, env, rule, starts_at, ends_at, comment, created_by, created_by_email)
     SELECT p, 'prod', 'latency_p95_high', $2::timestamptz - interval '1 hour', $2::timestamptz + interval '1 hour', 'bench', $3, 'bench@x'
       FROM unnest($1::uuid[]) p`,
    [some, now, user.id],
  );
  await db.query(
    `WITH w AS (
       INSERT INTO maintenance_windows (project_id, env, rrule, starts_at, duration_min, time_zone, comment, created_by, created_by_email)
       SELECT p, 'prod', 'FREQ=DAILY', $2::timestamptz - interval '30 minutes', 60, 'UTC', 'bench', $3, 'bench@x' FROM unnest($1::uuid[]) p
       RETURNING id, project_id, env, starts_at, duration_min)
     INSERT INTO maintenance_intervals (window_id, project_id, env, starts_at, ends_at)
     SELECT id, project_id, env, starts_at, starts_at + make_interval(mins => duration_min) FROM w`,
    [ids.slice(-1000), now, user.id],
  );
  await db.query(
    `INSERT INTO alert_rules (project_id, env, rule, threshold, warning, recovery_critical, window_min)
     SELECT p, '', 'cpu_high', 0.8, 0.7, 0.75, 10 FROM unnest($1::uuid[]) p`,
    [ids.slice(0, Math.ceil(ids.length / 10))],
  );
  await db.query('ANALYZE alert_silences, maintenance_intervals, alert_rules');
}

async function timed(evaluator: AlertEvaluator, now: Date): Promise<EvaluationResult> {
  const r = await evaluator.evaluate(now);
  if (!r.ran) throw new Error('evaluation skipped');
  return r;
}

async function evaluationBench(adminUrl: string, n: number) {
  const url = await harness.freshDatabase(adminUrl, `bench_alerts_${n}`);
  const { db, evaluator, store } = await wire(url, { SEQPULSE_ALERT_EVAL_INTERVAL_S: '0', SEQPULSE_NOTIFY_INTERVAL_MS: '0' });
  try {
    const ids = await seedProjects(db, n);
    const now = new Date(Math.floor(Date.now() / 15_000) * 15_000 - 60_000);
    const windowStart = new Date(now.getTime() - 285_000); // 20 slots: now-285 s … now
    const historyStart = new Date(windowStart.getTime() - HISTORY_MIN * 60_000);
    const t0 = performance.now();
    const rows = await seedSamples(db, store, historyStart, now);
    log(
      `\n## ${n.toLocaleString('en')} monitored project-envs — ${rows.toLocaleString('en')} samples (${(rows / n).toFixed(0)} per env), seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const first = await timed(evaluator, now); // first sight of every env (alert_monitored_envs rows are written)
    const steady: number[] = [];
    for (let i = 0; i < STEADY_RUNS; i++) steady.push((await timed(evaluator, now)).durationMs);
    const s = stats(steady);
    log(
      `first evaluation (records when monitoring started for ${n} envs): ${ms(first.durationMs)}, transitions ${first.fired.length + first.resolved.length}`,
    );
    log(`steady state, no transition (${STEADY_RUNS} runs): p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)}`);
    // What arriving samples cost: a collector's half-second batch (1/30 of the envs polled every 15 s), nothing due.
    const arriving = ids.slice(0, Math.ceil(n / 30)).map((projectId) => ({ projectId, env: 'prod' }));
    const prompt: number[] = [];
    for (let i = 0; i < 5; i++) await evaluator.evaluateEnvs(arriving, now); // prepared on the pool's connections
    for (let i = 0; i < STEADY_RUNS; i++) {
      const started = performance.now();
      await evaluator.evaluateEnvs(arriving, now);
      prompt.push(performance.now() - started);
    }
    const p = stats(prompt);
    log(
      `evaluation of arriving samples, ${arriving.length} envs, nothing due (${STEADY_RUNS} runs): p50 ${p.p50.toFixed(1)} ms, p95 ${p.p95.toFixed(1)} ms`,
    );

    // Alerting settings (issue 13): 1,000 active silences, 1,000 maintenance windows (current intervals), and 10 % of
    // the projects with rule settings (warning, recovery, a 10-minute window for cpu_high).
    await seedAlertingSettings(db, ids, now);
    const withSettings: number[] = [];
    for (let i = 0; i < STEADY_RUNS; i++) withSettings.push((await timed(evaluator, now)).durationMs);
    const w = stats(withSettings);
    log(
      `steady state with 1,000 silences, 1,000 maintenance windows, settings on 10 % of the projects (${STEADY_RUNS} runs): p50 ${ms(w.p50)}, p95 ${ms(w.p95)}, max ${ms(w.max)}`,
    );

    // 10 % of the envs get an offending sample: error_rate_high fires, with a webhook + Slack outbox row each.
    const hit = ids.slice(0, Math.ceil(n / 10));
    await db.query(
      `INSERT INTO notification_settings (project_id, webhook_url, slack_webhook_url) SELECT unnest($1::uuid[]), 'http://127.0.0.1:9/hook', 'http://127.0.0.1:9/slack'`,
      [hit],
    );
    const bad = new Date(now.getTime() + 15_000);
    await store.insertBatch(
      hit.map((projectId) => ({
        projectId,
        env: 'prod',
        slotAt: bad,
        collectedAt: bad,
        values: { requests_per_sec: 10, latency_p95: 150, error_rate: 0.5, cpu_usage: 0.3, memory_usage: 0.4 },
      })),
    );
    const fire = await timed(evaluator, bad);
    const [{ outbox }] = await db.query(`SELECT count(*)::int AS outbox FROM notification_deliveries`);
    log(`10 % fire (${fire.fired.length} alerts, ${outbox} outbox rows, ${fire.fired.length} NOTIFY): ${ms(fire.durationMs)}`);
    await db.query(`UPDATE samples SET error_rate = 0.001 WHERE slot_at = $1`, [bad]);
    const resolve = await timed(evaluator, bad);
    log(`10 % resolve (${resolve.resolved.length} alerts): ${ms(resolve.durationMs)}`);

    // Worst case: every threshold rule of every env fires in the same evaluation.
    await db.query(`UPDATE samples SET error_rate = 0.5, latency_p95 = 5000, cpu_usage = 0.99, memory_usage = 0.99 WHERE slot_at = $1`, [
      bad,
    ]);
    await db.query(
      `UPDATE samples SET error_rate = 0.5, latency_p95 = 5000, cpu_usage = 0.99, memory_usage = 0.99 WHERE slot_at > $1 AND slot_at <= $2`,
      [windowStart, bad],
    );
    const storm = await timed(evaluator, bad);
    log(`worst case, 4 rules × every env fire at once (${storm.fired.length} alerts): ${ms(storm.durationMs)}`);
    const [{ avg }] = await db.query(`SELECT round(avg(duration_ms))::int AS avg FROM analysis_runs WHERE kind = 'alerts'`);
    log(`analysis_runs rows: mean ${avg} ms over this database's runs`);
    return {
      n,
      samples: rows,
      first: first.durationMs,
      steady: s,
      fire: fire.durationMs,
      fired: fire.fired.length,
      resolve: resolve.durationMs,
      storm: storm.durationMs,
      stormFired: storm.fired.length,
    };
  } finally {
    await db.destroy();
  }
}

async function latencyBench(adminUrl: string) {
  const url = await harness.freshDatabase(adminUrl, 'bench_alerts_latency');
  const { db, evaluator, tasks, store } = await wire(url, {
    SEQPULSE_ALERT_EVAL_INTERVAL_S: '15',
    SEQPULSE_NOTIFY_INTERVAL_MS: '1000',
  });
  const received = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertWebhookPayload;
      if (body.type === 'alert.firing' && !received.has(body.project_id)) received.set(body.project_id, Date.now());
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as AddressInfo).port;
  let feeding: NodeJS.Timeout | undefined;
  try {
    const ids = await seedProjects(db, LATENCY_ENVS);
    await db.query(`INSERT INTO notification_settings (project_id, webhook_url) SELECT unnest($1::uuid[]), $2`, [
      ids,
      `http://127.0.0.1:${port}/hook`,
    ]);
    const normal = (projectId: string, at: Date): NewSample => ({
      projectId,
      env: 'prod',
      slotAt: at,
      collectedAt: at,
      values: { requests_per_sec: 10, latency_p95: 150, error_rate: 0.001, cpu_usage: 0.3, memory_usage: 0.4 },
    });
    const start = Date.now();
    const history: NewSample[] = [];
    for (let k = 20; k >= 1; k--) for (const id of ids) history.push(normal(id, new Date(start - k * 15_000)));
    for (let i = 0; i < history.length; i += 5000) await store.insertBatch(history.slice(i, i + 5000));
    // The collector's stand-in: one sample per env every 15 s.
    feeding = setInterval(() => void store.insertBatch(ids.map((id) => normal(id, new Date()))), 15_000);
    let lastEvaluation = { endedAt: 0, durationMs: 0, fired: 0 };
    const evaluate = evaluator.evaluate.bind(evaluator);
    evaluator.evaluate = async (...args) => {
      const r = await evaluate(...args);
      if (r.ran) lastEvaluation = { endedAt: Date.now(), durationMs: r.durationMs, fired: r.fired.length };
      return r;
    };
    await tasks.onApplicationBootstrap();
    log(
      `\n## Alert latency — ${LATENCY_ENVS} monitored envs fed every 15 s, evaluator every 15 s, outbox tick 1 s, ${LATENCY_TRIALS} trials`,
    );
    const rows: { total: number; wait: number; evalMs: number; delivery: number }[] = [];
    for (let trial = 0; trial < LATENCY_TRIALS; trial++) {
      await new Promise((r) => setTimeout(r, 2_000 + Math.random() * 13_000)); // any phase of the 15 s cycle
      const projectId = ids[trial];
      const at = new Date();
      await store.insertBatch([{ ...normal(projectId, at), values: { ...normal(projectId, at).values, error_rate: 0.9 } }]);
      const storedAt = Date.now();
      while (!received.has(projectId) && Date.now() - storedAt < 60_000) await new Promise((r) => setTimeout(r, 20));
      const got = received.get(projectId);
      if (!got) throw new Error('no notification within 60 s');
      const row = {
        total: got - storedAt,
        wait: lastEvaluation.endedAt - lastEvaluation.durationMs - storedAt,
        evalMs: lastEvaluation.durationMs,
        delivery: got - lastEvaluation.endedAt,
      };
      rows.push(row);
      log(
        `trial ${trial + 1}: ${(row.total / 1000).toFixed(2)} s = wait for the next evaluation ${(row.wait / 1000).toFixed(2)} s + evaluation ${row.evalMs} ms + outbox/HTTP ${row.delivery} ms`,
      );
    }
    const s = stats(rows.map((r) => r.total));
    const d = stats(rows.map((r) => r.delivery));
    log(
      `latency first offending sample → webhook received: min ${(s.min / 1000).toFixed(2)} s, p50 ${(s.p50 / 1000).toFixed(2)} s, mean ${(s.mean / 1000).toFixed(2)} s, max ${(s.max / 1000).toFixed(2)} s; evaluation end → webhook: p50 ${ms(d.p50)}, max ${ms(d.max)}`,
    );
    return { total: s, delivery: d };
  } finally {
    if (feeding) clearInterval(feeding);
    await tasks.beforeApplicationShutdown();
    await new Promise((r) => receiver.close(r));
    await db.destroy();
  }
}

async function main() {
  Logger.overrideLogger(false);
  const pg = await harness.startScratchPostgres('seqpulse-bench-alerts-');
  try {
    log(
      `# SeqPulse alerts benchmark — node ${process.version}, ${require('node:os').cpus().length} CPU(s), history before the window: ${HISTORY_MIN} min`,
    );
    const results = [];
    for (const n of SIZES) results.push(await evaluationBench(pg.url, n));
    log('\n| project-envs | samples | steady p50 | steady p95 | steady max | 10 % fire | 10 % resolve | all fire (alerts) |');
    log('|---|---|---|---|---|---|---|---|');
    for (const r of results) {
      log(
        `| ${r.n.toLocaleString('en')} | ${r.samples.toLocaleString('en')} | ${ms(r.steady.p50)} | ${ms(r.steady.p95)} | ${ms(r.steady.max)} | ${ms(r.fire)} (${r.fired}) | ${ms(r.resolve)} | ${ms(r.storm)} (${r.stormFired.toLocaleString('en')}) |`,
      );
    }
    if (LATENCY_TRIALS > 0) await latencyBench(pg.url);
  } finally {
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
