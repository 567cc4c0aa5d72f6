/**
 * Storage benchmark (issue 16): fills BENCH_ENVS series × BENCH_DAYS days of 15 s samples at exporter precision
 * (the values of bench/lib/dual-fleet.mjs) through the real SamplesStore, rolls them up, compacts every day but
 * the last with the real SamplesCompaction, and prints bytes per stored sample per table (heap + indexes + TOAST)
 * before and after, then the latency of the time-series statements over a compacted day and over a live one.
 * Prints figures; not a test. Run through `node bench/storage.bench.mjs`.
 */
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { METRIC_NAMES } from '@seqpulse/contracts';
import { AppConfig } from '../../apps/api/src/app/config/app-config';
import { dataSourceOptions } from '../../apps/api/src/app/database/database.options';
import { runMigrations } from '../../apps/api/src/app/database/run-migrations';
import { OperationalMetrics } from '../../apps/api/src/app/operational-metrics/operational-metrics';
import { NewSample, SamplesStore } from '../../apps/api/src/app/samples/samples.store';
import { SamplesCompaction } from '../../apps/api/src/app/samples/samples-compaction';
import { ROLLUP_CATCH_UP_FUNCTION } from '../../apps/api/src/app/samples/rollup-sql';
import { buildTimeseriesSql, rollupFor } from '../../apps/api/src/app/samples/timeseries-sql';
import { harness } from '../lib/harness';

const ENVS = Number(process.env.BENCH_ENVS ?? 100);
const DAYS = Number(process.env.BENCH_DAYS ?? 3);
const READS = Number(process.env.BENCH_READS ?? 40);
const START = Date.UTC(2026, 9, 1);
const DAY_MS = 86_400_000;
const SLOTS_PER_DAY = 5_760;

/** bench/lib/dual-fleet.mjs's values: a daily wave plus noise, at the precision exporters print. */
function noise(i: number, slot: number, k: number): number {
  let h = (i * 374761393 + slot * 668265263 + k * 2147483647) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}
function values(i: number, slot: number) {
  const daily = Math.sin((2 * Math.PI * (slot % 5760)) / 5760 + i);
  return {
    requests_per_sec: Math.round((40 + 10 * daily + 4 * noise(i, slot, 1)) * 100) / 100,
    latency_p95: Math.round((120 + 20 * daily + 30 * noise(i, slot, 2)) * 10) / 10,
    error_rate: Math.round((0.002 + 0.002 * noise(i, slot, 3)) * 10_000) / 10_000,
    cpu_usage: Math.round((0.35 + 0.1 * daily + 0.05 * noise(i, slot, 4)) * 1000) / 1000,
    memory_usage: Math.round((0.5 + 0.02 * noise(i, slot, 5)) * 1000) / 1000,
  };
}

async function main(): Promise<void> {
  const server = await harness.startScratchPostgres('seqpulse-storage-bench-');
  const url = await harness.freshDatabase(server.url, 'bench_storage');
  const db = new DataSource(dataSourceOptions(url));
  await db.initialize();
  await runMigrations(db);
  await db.query(ROLLUP_CATCH_UP_FUNCTION);
  const [{ version }] = await db.query(`SELECT current_setting('server_version') AS version`);
  // BENCH_COMPRESSION=lz4 (a server built with it, e.g. Debian's postgresql): the archive arrays in lz4 instead of pglz
  const compression = process.env.BENCH_COMPRESSION ?? 'pglz';
  const arrays: { table: string; column: string }[] = await db.query(
    `SELECT table_name AS table, column_name AS column FROM information_schema.columns WHERE table_name LIKE '%archive' AND data_type = 'ARRAY'`,
  );
  for (const a of arrays) await db.query(`ALTER TABLE ${a.table} ALTER COLUMN ${a.column} SET COMPRESSION ${compression}`);
  console.log(`Postgres ${version}; archive arrays compressed with ${compression}`);
  const config = Object.assign(new AppConfig(), {
    SEQPULSE_RETENTION_RAW_DAYS: 3650,
    SEQPULSE_RETENTION_1M_DAYS: 3650,
    SEQPULSE_RETENTION_15M_DAYS: 3650,
  });
  const store = new SamplesStore(db, new OperationalMetrics(), config);
  const compaction = new SamplesCompaction(db, store, config);
  const [{ id: owner }] = await db.query(`INSERT INTO users (email, password_hash, role) VALUES ('b@b', 'x', 'member') RETURNING id`);
  const projects: { id: string }[] = await db.query(
    `INSERT INTO projects (owner_id, name, plan, envs, metrics_endpoint) SELECT $1, 'p' || i, 'enterprise', ARRAY['prod'], 'http://x' FROM generate_series(1, $2) i RETURNING id`,
    [owner, ENVS],
  );

  let began = performance.now();
  for (let slot = 0; slot < DAYS * SLOTS_PER_DAY; slot += 60) {
    const batch: NewSample[] = [];
    for (let s = slot; s < slot + 60; s++)
      projects.forEach((p, i) => {
        const at = START + s * 15_000;
        batch.push({
          projectId: p.id,
          env: 'prod',
          slotAt: new Date(at),
          collectedAt: new Date(at + 200 + ((i * 37 + s) % 4_000)),
          values: values(i, s),
        });
      });
    await store.insertBatch(batch, { announce: false });
  }
  const samples = ENVS * DAYS * SLOTS_PER_DAY;
  console.log(`stored ${samples} samples (${ENVS} series × ${DAYS} days) in ${((performance.now() - began) / 1000).toFixed(0)} s`);
  began = performance.now();
  while ((await db.query(`SELECT samples_rollup_catch_up(1000, '0 seconds') AS n`))[0].n > 0);
  console.log(`rolled up in ${((performance.now() - began) / 1000).toFixed(0)} s`);
  await db.query(`VACUUM ANALYZE`);

  const tables = ['samples', 'samples_1m', 'samples_15m', 'samples_archive', 'samples_1m_archive', 'samples_15m_archive'];
  const sizes = async (): Promise<Record<string, number>> => {
    const [row] = await db.query(
      `SELECT ${tables
        .map(
          (t) => `(SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c
                   WHERE c.oid = '${t}'::regclass OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = '${t}'::regclass))::float8 AS ${t}`,
        )
        .join(', ')}`,
    );
    return row;
  };
  const live = await sizes();

  // the reads, before compaction, on the day to be compacted and on the last (live) day
  const pool = new Pool({ connectionString: url, max: 1, options: '-c plan_cache_mode=force_generic_plan' });
  const project = projects[Math.min(7, ENVS - 1)].id;
  const reads = (day: number) => [
    {
      label: '24 h at 60 s',
      req: {
        env: 'prod',
        phase: null,
        stepS: 60,
        firstBucket: (START + day * DAY_MS) / 1000,
        lastBucket: (START + (day + 1) * DAY_MS) / 1000 - 60,
      },
    },
    {
      label: '30 min at 15 s',
      req: {
        env: 'prod',
        phase: null,
        stepS: 15,
        firstBucket: (START + day * DAY_MS + 12 * 3_600_000) / 1000,
        lastBucket: (START + day * DAY_MS + 12.5 * 3_600_000) / 1000 - 15,
      },
    },
  ];
  const run = async (req: ReturnType<typeof reads>[number]['req']) => {
    const { sql, params } = buildTimeseriesSql(project, req, rollupFor(req.stepS, true));
    return (await pool.query({ name: `ts-${req.stepS}`, text: sql, values: params })).rows[0];
  };
  const answersBefore = await Promise.all(reads(0).map((r) => run(r.req)));

  began = performance.now();
  const moved = await compaction.compact(new Date(START + (DAYS - 1) * DAY_MS + 3 * 3_600_000));
  const compactS = (performance.now() - began) / 1000;
  // freed rollup rows are reused by later ones in a running system; VACUUM FULL shows that steady state here
  await db.query(`VACUUM FULL samples_1m`);
  await db.query(`VACUUM FULL samples_15m`);
  await db.query(`VACUUM ANALYZE`);
  const after = await sizes();
  const answersAfter = await Promise.all(reads(0).map((r) => run(r.req)));
  const identical = JSON.stringify(answersAfter) === JSON.stringify(answersBefore);
  console.log(
    `compacted ${moved.samples} raw rows, ${moved.samples_1m} minute rows, ${moved.samples_15m} quarter rows in ${compactS.toFixed(1)} s; answers identical: ${identical}`,
  );

  const compacted = ENVS * (DAYS - 1) * SLOTS_PER_DAY;
  const per = (bytes: number, n: number) => (bytes / n).toFixed(1);
  console.log(`\n| table | all ${DAYS} days live: B/sample | compacted days: B/sample |`);
  console.log(`|---|---|---|`);
  const pairs = [
    ['samples', 'samples_archive'],
    ['samples_1m', 'samples_1m_archive'],
    ['samples_15m', 'samples_15m_archive'],
  ];
  let totalLive = 0;
  let totalArchived = 0;
  for (const [t, a] of pairs) {
    totalLive += live[t];
    totalArchived += after[a];
    console.log(`| ${t} | ${per(live[t], samples)} | ${per(after[a], compacted)} |`);
  }
  console.log(`| **total** | **${per(totalLive, samples)}** | **${per(totalArchived, compacted)}** |`);
  const liveLeft = after.samples + after.samples_1m + after.samples_15m;
  console.log(
    `\nlive tables after compaction (the last day): ${per(liveLeft, ENVS * SLOTS_PER_DAY)} B/sample; whole store: ${per(liveLeft + totalArchived, samples)} B/sample`,
  );
  const [{ raw }] = await db.query(
    `SELECT (${METRIC_NAMES.map((m) => `sum(pg_column_size(${m}))`).join(' + ')})::float8 / $1 AS raw FROM samples_archive`,
    [compacted],
  );
  console.log(`the five value arrays alone: ${Number(raw).toFixed(1)} B/sample (40 B uncompressed)`);

  console.log(`\n| read (one series) | live day: median / p95 | compacted day: median / p95 |`);
  console.log(`|---|---|---|`);
  for (let k = 0; k < 2; k++) {
    // live and compacted reads alternate, so a change of the machine's load weighs on both columns alike
    const days = [DAYS - 1, 0];
    const timings: number[][] = days.map(() => []);
    for (const day of days) for (let i = 0; i < 5; i++) await run(reads(day)[k].req); // warm: the generic plan, the cache
    for (let i = 0; i < READS; i++) {
      for (const [j, day] of days.entries()) {
        const s = performance.now();
        await run(reads(day)[k].req);
        timings[j].push(performance.now() - s);
      }
    }
    const cell = (t: number[]) => `${harness.fmt(harness.percentile(t, 50))} / ${harness.fmt(harness.percentile(t, 95))}`;
    console.log(`| ${reads(0)[k].label} | ${cell(timings[0])} | ${cell(timings[1])} |`);
  }
  if (process.env.BENCH_EXPLAIN) {
    // BENCH_EXPLAIN=live: the live day's plans instead of the compacted day's
    for (const r of reads(process.env.BENCH_EXPLAIN === 'live' ? DAYS - 1 : 0)) {
      const { sql, params } = buildTimeseriesSql(project, r.req, rollupFor(r.req.stepS, true));
      const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${sql}`, params);
      console.log(plan.map((p: { 'QUERY PLAN': string }) => p['QUERY PLAN']).join('\n'));
    }
  }
  await pool.end();
  await db.destroy();
  await server.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
