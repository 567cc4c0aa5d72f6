/**
 * Store benchmark (issue 3): rows per second the samples table accepts through the real SamplesStore
 * (one statement per batch: unnest insert, phase labelled in SQL, NOTIFY per chunk), by batch size and
 * number of concurrent writers. Prints figures; not a test.
 * Run through `node bench/store.bench.mjs`.
 */
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../apps/api/src/app/database/database.options';
import { runMigrations } from '../../apps/api/src/app/database/run-migrations';
import { AppConfig } from '../../apps/api/src/app/config/app-config';
import { OperationalMetrics } from '../../apps/api/src/app/operational-metrics/operational-metrics';
import { NewSample, SamplesStore } from '../../apps/api/src/app/samples/samples.store';
import { harness } from '../lib/harness';

const BATCHES = (process.env.BENCH_BATCHES ?? '500,1000,5000').split(',').map(Number);
const ROWS = Number(process.env.BENCH_ROWS ?? 300_000);
const TARGETS = 10_000;
/** Concurrent writers (each worker process flushes on its own connection). */
const WRITERS = (process.env.BENCH_WRITERS ?? '1,2').split(',').map(Number);

async function main(): Promise<void> {
  const server = await harness.startScratchPostgres('seqpulse-store-bench-');
  const db = new DataSource(dataSourceOptions(await harness.freshDatabase(server.url, 'bench_store')));
  await db.initialize();
  await runMigrations(db);
  const store = new SamplesStore(db, new OperationalMetrics(), new AppConfig());
  const [{ id: owner }] = await db.query(`INSERT INTO users (email, password_hash, role) VALUES ('b@b', 'x', 'member') RETURNING id`);
  const projects: { id: string }[] = await db.query(
    `INSERT INTO projects (owner_id, name, plan, envs, metrics_endpoint) SELECT $1, 'p' || i, 'enterprise', ARRAY['prod'], 'http://x' FROM generate_series(1, $2) i RETURNING id`,
    [owner, TARGETS],
  );
  const start = Date.UTC(2026, 10, 1);
  await store.ensurePartitions(new Date(start), new Date(start + 30 * 86_400_000));
  console.log(`| rollups | writers | batch size | rows | seconds | rows/s |`);
  console.log(`|---|---|---|---|---|---|`);
  let slot = 0;
  const hasRollups = (await db.query(`SELECT 1 FROM pg_trigger WHERE tgname = 'samples_rollup'`)).length > 0;
  // With the rollup trigger (the product as shipped), then without it (the raw table alone), for comparison.
  const modes = hasRollups ? [true, false] : [false];
  for (const rollups of modes) {
    if (!rollups && hasRollups) await db.query(`ALTER TABLE samples DISABLE TRIGGER samples_rollup`);
    for (const writers of WRITERS) {
      for (const batch of BATCHES) {
        const nextBatch = (): NewSample[] => {
          const rows: NewSample[] = [];
          for (let i = 0; i < batch; i++, slot++) {
            const at = new Date(start + Math.floor(slot / TARGETS) * 15_000);
            const collected = new Date(at.getTime() + (slot % 14_000)); // spread over the interval like real polls
            const values = {
              requests_per_sec: 10 + (slot % 97),
              latency_p95: 120.5,
              error_rate: 0.0125,
              cpu_usage: 0.41,
              memory_usage: 0.5,
            };
            rows.push({ projectId: projects[slot % TARGETS].id, env: 'prod', slotAt: at, collectedAt: collected, values });
          }
          return rows;
        };
        // Batches are built before the clock starts: the figure is what the store accepts, not the generator.
        const batches = Array.from({ length: Math.ceil(ROWS / batch) }, nextBatch);
        const began = performance.now();
        const writer = async () => {
          for (let next = batches.shift(); next; next = batches.shift()) await store.insertBatch(next);
        };
        await Promise.all(Array.from({ length: writers }, writer));
        const seconds = (performance.now() - began) / 1000;
        console.log(
          `| ${rollups ? 'on' : 'off'} | ${writers} | ${batch} | ${ROWS} | ${seconds.toFixed(2)} | ${Math.round(ROWS / seconds)} |`,
        );
      }
    }
  }
  await db.destroy();
  await server.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
