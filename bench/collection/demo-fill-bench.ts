/**
 * Demo history fill benchmark (issue 14): the database side of a first demo start, in isolation. Writes 7 days × 3
 * envs of 15 s samples (120,960 rows, the demo's size) with 2 finished deployments per env and day, one day per
 * statement as `DemoHistory` does, through each write path of the real SamplesStore, then rolls the written days up
 * (`samples_1m`, as the background catch-up would). Each path gets a fresh database. Prints figures; not a test.
 * Run through `node bench/demo-fill.bench.mjs` (`BENCH_ROUNDS`, default 2).
 */
import { DataSource } from 'typeorm';
import { METRIC_NAMES } from '@seqpulse/contracts';
import { dataSourceOptions } from '../../apps/api/src/app/database/database.options';
import { runMigrations } from '../../apps/api/src/app/database/run-migrations';
import { AppConfig } from '../../apps/api/src/app/config/app-config';
import { OperationalMetrics } from '../../apps/api/src/app/operational-metrics/operational-metrics';
import { NewSample, SamplesStore } from '../../apps/api/src/app/samples/samples.store';
import { ROLLUP_CATCH_UP_FUNCTION } from '../../apps/api/src/app/samples/rollup-sql';
import { harness } from '../lib/harness';

const DAY_MS = 86_400_000;
const DAYS = 7;
const STEP_MS = 15_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

type WritePath = 'live insert (insertBatch)' | 'history backfill (backfillHistory)' | 'backfill, each day rolled up after it';
const PATHS: WritePath[] = ['live insert (insertBatch)', 'history backfill (backfillHistory)', 'backfill, each day rolled up after it'];

async function run(server: { url: string }, path: WritePath, round: number) {
  const db = new DataSource(dataSourceOptions(await harness.freshDatabase(server.url, `bench_fill_${round}_${PATHS.indexOf(path)}`)));
  await db.initialize();
  await runMigrations(db);
  await db.query(ROLLUP_CATCH_UP_FUNCTION); // as the workers install it at start
  const store = new SamplesStore(db, new OperationalMetrics(), new AppConfig());
  const [{ id: owner }] = await db.query(`INSERT INTO users (email, password_hash, role) VALUES ('b@b', 'x', 'member') RETURNING id`);
  const projects: { id: string }[] = await db.query(
    `INSERT INTO projects (owner_id, name, plan, envs, metrics_endpoint) VALUES
       ($1, 'checkout', 'enterprise', ARRAY['prod', 'staging'], 'http://x'), ($1, 'payments', 'enterprise', ARRAY['prod'], 'http://x')
     RETURNING id`,
    [owner],
  );
  const envs = [
    { projectId: projects[0].id, env: 'prod' },
    { projectId: projects[0].id, env: 'staging' },
    { projectId: projects[1].id, env: 'prod' },
  ];
  const end = Math.floor(Date.now() / STEP_MS) * STEP_MS;
  const start = end - DAYS * DAY_MS;
  // the demo's deployments: 10:00 and 16:00 UTC every day, one minute long
  for (const e of envs)
    for (let day = Math.floor(start / DAY_MS) * DAY_MS; day < end; day += DAY_MS)
      for (const hour of [10, 16]) {
        const at = day + hour * 3_600_000;
        if (at < start || at + 60_000 > end) continue;
        await db.query(`INSERT INTO deployments (project_id, env, started_at, finished_at, result) VALUES ($1, $2, $3, $4, 'success')`, [
          e.projectId,
          e.env,
          new Date(at),
          new Date(at + 60_000),
        ]);
      }
  await store.ensurePartitions(new Date(start), new Date(end));
  const days: NewSample[][] = [];
  for (let day = start; day < end; day += DAY_MS) {
    const batch: NewSample[] = [];
    for (const e of envs)
      for (let t = day; t < Math.min(day + DAY_MS, end); t += STEP_MS) {
        const values = Object.fromEntries(METRIC_NAMES.map((m, i) => [m, (i + 1) * (1 + Math.sin(t / 3_600_000))])) as NewSample['values'];
        batch.push({ ...e, slotAt: new Date(t), collectedAt: new Date(t + 800), values });
      }
    days.push(batch);
  }
  const began = performance.now();
  let rows = 0;
  const perDay: number[] = [];
  for (const batch of days) {
    const dayBegan = performance.now();
    rows += path === 'live insert (insertBatch)' ? await store.insertBatch(batch, { announce: false }) : await store.backfillHistory(batch);
    if (path === 'backfill, each day rolled up after it') await db.query(`SELECT samples_rollup_catch_up(1500, interval '0 seconds')`);
    perDay.push(performance.now() - dayBegan);
  }
  const writes = (performance.now() - began) / 1000;
  // the least-disturbed day: on a shared machine, the closest to what a day costs
  const fastestDay = Math.min(...perDay) / 1000;
  // the rollups of what is still pending, as the workers' catch-up computes them (60 minutes per call)
  const rollupBegan = performance.now();
  for (;;) {
    const [{ n }] = await db.query(`SELECT samples_rollup_catch_up(60, interval '0 seconds') AS n`);
    if (!n) break;
  }
  const rollups = (performance.now() - rollupBegan) / 1000;
  const [{ post }] = await db.query(`SELECT count(*)::int AS post FROM samples WHERE phase = 'post'`);
  const [{ minutes }] = await db.query(`SELECT count(*)::int AS minutes FROM samples_1m`);
  await db.destroy();
  return { rows, writes, fastestDay, rollups, post, minutes };
}

async function main(): Promise<void> {
  const server = await harness.startScratchPostgres('seqpulse-fill-bench-');
  console.log(
    `| round | write path | rows | post rows | writes (s) | fastest day (s) | rollups left (s) | total (s) | 1-min rollup rows |`,
  );
  console.log(`|---|---|---|---|---|---|---|---|---|`);
  for (let round = 1; round <= ROUNDS; round++)
    for (const path of PATHS) {
      const r = await run(server, path, round);
      console.log(
        `| ${round} | ${path} | ${r.rows} | ${r.post} | ${r.writes.toFixed(2)} | ${r.fastestDay.toFixed(2)} | ${r.rollups.toFixed(2)} | ${(r.writes + r.rollups).toFixed(2)} | ${r.minutes} |`,
      );
    }
  await server.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
