/**
 * Alert latency benchmark (issue 13). Prints figures; it is not a test. Run through `node bench/alert-latency.bench.mjs`.
 *
 * Wall clock from an offending sample being stored (its insert committed) to the webhook receiving the alert's
 * notification, on loopback, with BENCH_ENVS (default 1,000) monitored envs fed a sample every 15 s (spread over
 * the 15 s, as the collector's slots are). Wired as in a worker process: the samples store telling its process the
 * envs it just stored, the evaluation of those envs (`PromptAlertEvaluation`),
 * the periodic pass on its 15 s schedule, the outbox dispatcher (kicked after transitions, 1 s tick) and the guarded
 * outbound client, sending to a real HTTP receiver in this process.
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import type { AlertWebhookPayload, MetricValues } from '@seqpulse/contracts';
import { AlertEvaluator } from '../../apps/api/src/app/alerts/alert-evaluator';
import { PromptAlertEvaluation } from '../../apps/api/src/app/alerts/prompt-evaluation';
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

const ENVS = Number(process.env.BENCH_ENVS ?? 1000);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 60);
/** Mean gap between two trials (uniform 0.5×–1.5×): 60 trials ≈ 2 minutes, every phase of the 15 s cycle. */
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 2000);
const SECRET = 'bench-hmac-secret-bench-hmac-secret';
const NORMAL: MetricValues = { requests_per_sec: 10, latency_p95: 150, error_rate: 0.001, cpu_usage: 0.3, memory_usage: 0.4 };

const log = (...args: unknown[]) => console.log(...args);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
function quantiles(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { min: s[0], p50: q(0.5), p95: q(0.95), p99: q(0.99), max: s[s.length - 1], mean: s.reduce((a, b) => a + b, 0) / s.length };
}

/** A worker process's alerting side, wired by hand (no HTTP server, no collector: this script feeds the store). */
async function wire(url: string) {
  const config = loadConfig({
    DATABASE_URL: url,
    SEQPULSE_DEMO: 'false',
    SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true',
    SEQPULSE_ALERT_EVAL_INTERVAL_S: '15',
    SEQPULSE_NOTIFY_INTERVAL_MS: '1000',
    LOG_LEVEL: 'silent',
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
  const store = new SamplesStore(db, metrics, config);
  const prompt = new PromptAlertEvaluation(config, tasks, store, evaluator);
  for (const m of [evaluator, dispatcher, prompt]) m.onModuleInit();
  const start = async () => {
    prompt.onApplicationBootstrap();
    await tasks.onApplicationBootstrap();
  };
  const stop = async () => {
    prompt.onModuleDestroy();
    await tasks.beforeApplicationShutdown();
  };
  return { db, tasks, store, start, stop };
}

async function main() {
  Logger.overrideLogger(false);
  log(`# SeqPulse alert latency benchmark — node ${process.version}, ${cpus().length} CPU(s), load average ${load()}`);
  const pg = await harness.startScratchPostgres('seqpulse-bench-alert-latency-');
  const url = await harness.freshDatabase(pg.url, 'bench_alert_latency');
  const { db, tasks, store, start, stop } = await wire(url);
  const received = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertWebhookPayload;
      if (body.type === 'alert.firing' && !received.has(body.project_id)) received.set(body.project_id, at);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  let feeding: NodeJS.Timeout | undefined;
  try {
    const [user] = await db.query(
      `INSERT INTO users (email, password_hash, role) VALUES ('bench@seqpulse.test', 'x', 'member') RETURNING id`,
    );
    const ids: string[] = (
      await db.query(
        `INSERT INTO projects (owner_id, name, plan, envs, metrics_endpoint)
         SELECT $1, 'bench-' || g, 'enterprise', ARRAY['prod'], 'https://8.8.8.8/m' FROM generate_series(1, $2) g RETURNING id`,
        [user.id, ENVS],
      )
    ).map((r: { id: string }) => r.id);
    await db.query(`UPDATE rollout_settings SET stage = 'general' WHERE id = 1`);
    await db.query(`INSERT INTO notification_settings (project_id, webhook_url) SELECT unnest($1::uuid[]), $2`, [ids, hook]);
    const sample = (projectId: string, at: Date, values: Partial<MetricValues> = {}): NewSample => ({
      projectId,
      env: 'prod',
      slotAt: at,
      collectedAt: at,
      values: { ...NORMAL, ...values },
    });
    // Five minutes of history for every env, then the collector's stand-in: every env once per 15 s, in 15 slices.
    const t0 = Date.now();
    await store.ensurePartitions(new Date(t0 - 86_400_000), new Date(t0 + 86_400_000));
    const history: NewSample[] = [];
    for (let k = 20; k >= 1; k--) for (const id of ids) history.push(sample(id, new Date(t0 - k * 15_000)));
    for (let i = 0; i < history.length; i += 5000) await store.insertBatch(history.slice(i, i + 5000));
    await db.query('VACUUM ANALYZE samples');
    await start();
    const slices = Array.from({ length: 15 }, (_, k) => ids.filter((_, i) => i % 15 === k));
    let slice = 0;
    feeding = setInterval(() => {
      const now = new Date();
      void store.insertBatch(slices[slice++ % 15].map((id) => sample(id, now)));
    }, 1000);
    await sleep(3000);
    log(`${ENVS} monitored envs fed every 15 s (one slice of ~${slices[0].length} each second), ${TRIALS} trials, one every ~${GAP_MS} ms`);

    const rows: { total: number; decide: number; deliver: number }[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      await sleep(GAP_MS * (0.5 + Math.random()));
      const projectId = ids[trial];
      // error_rate 0.9 among 20 normal samples moves the 5-minute mean (0.04) over 0.01 on its own.
      await store.insertBatch([sample(projectId, new Date(), { error_rate: 0.9 })]);
      const storedAt = Date.now();
      while (!received.has(projectId) && Date.now() - storedAt < 30_000) await sleep(5);
      const got = received.get(projectId);
      if (!got) throw new Error(`trial ${trial + 1}: no notification within 30 s`);
      const [alert] = await db.query(`SELECT started_at FROM alerts WHERE project_id = $1 AND rule = 'error_rate_high'`, [projectId]);
      const openedAt = (alert.started_at as Date).getTime();
      rows.push({ total: got - storedAt, decide: openedAt - storedAt, deliver: got - openedAt });
    }
    const total = quantiles(rows.map((r) => r.total));
    const decide = quantiles(rows.map((r) => r.decide));
    const deliver = quantiles(rows.map((r) => r.deliver));
    const stats = tasks.stats();
    const prompt = stats.find((s) => s.name === 'alert-evaluation-on-samples');
    const periodic = stats.find((s) => s.name === 'alert-evaluation');
    const f = (v: number) => `${v.toFixed(0)} ms`;
    const line = (name: string, q: ReturnType<typeof quantiles>) =>
      `| ${name} | ${f(q.p50)} | ${f(q.p95)} | ${f(q.p99)} | ${f(q.max)} | ${f(q.mean)} |`;
    log('\n| stored sample → | p50 | p95 | p99 | max | mean |');
    log('|---|---|---|---|---|---|');
    log(line('webhook received (total)', total));
    log(line('alert opened (evaluation clock)', decide));
    log(line('alert opened → webhook received', deliver));
    log(
      `\nevaluations on samples in this process: ${prompt?.runs} runs (incl. idle 5 s ticks), mean ${prompt?.mean_duration_ms} ms, max ${prompt?.max_duration_ms} ms; periodic pass: ${periodic?.runs} runs, mean ${periodic?.mean_duration_ms} ms, max ${periodic?.max_duration_ms} ms`,
    );
    log(`p99 target < 2 s: ${total.p99 < 2000 ? 'met' : 'NOT met'}; load average at the end ${load()}`);
  } finally {
    if (feeding) clearInterval(feeding);
    await stop();
    await new Promise((r) => receiver.close(r));
    await db.destroy();
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
