// Seeds N enterprise projects × D days of 15 s samples straight in SQL (one INSERT … SELECT generate_series per
// day × 100 projects), in the physical order the collector writes them: slot by slot, all projects interleaved.
// Resumable: finished chunks are remembered in bench_seed_chunks.
import pg from 'pg';
import { log } from './harness.mjs';

const DAY_MS = 86_400_000;
const CHUNK_PROJECTS = 100;

export async function seedFleet(databaseUrl, { projects, days, ownerEmail, parallel = 2 }) {
  const db = new pg.Pool({ connectionString: databaseUrl, max: parallel + 1 });
  await db.query(`CREATE TABLE IF NOT EXISTS bench_seed (id int PRIMARY KEY, anchor_day timestamptz NOT NULL)`);
  await db.query(`CREATE TABLE IF NOT EXISTS bench_seed_chunks (day timestamptz, first_project int, PRIMARY KEY (day, first_project))`);
  const today = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  await db.query(`INSERT INTO bench_seed (id, anchor_day) VALUES (1, $1) ON CONFLICT DO NOTHING`, [today]);
  const anchor = new Date((await db.query(`SELECT anchor_day FROM bench_seed WHERE id = 1`)).rows[0].anchor_day);

  const [{ id: ownerId }] = (await db.query(`SELECT id FROM users WHERE email = $1`, [ownerEmail])).rows;
  const existing = (await db.query(`SELECT count(*)::int AS n FROM projects WHERE name LIKE 'bench-%'`)).rows[0].n;
  if (existing < projects) {
    await db.query(
      `INSERT INTO projects (owner_id, name, plan, envs, metrics_endpoint)
       SELECT $1, 'bench-' || lpad(i::text, 5, '0'), 'enterprise', '{prod}', 'https://metrics.example.com/' || i
         FROM generate_series($2::int, $3::int) i`,
      [ownerId, existing, projects - 1],
    );
  }
  await db.query(`UPDATE rollout_settings SET stage = 'general' WHERE id = 1`);
  const ids = (await db.query(`SELECT id FROM projects WHERE name LIKE 'bench-%' ORDER BY name LIMIT $1`, [projects])).rows.map(
    (r) => r.id,
  );

  const from = new Date(anchor.getTime() - days * DAY_MS);
  const chunks = [];
  for (let d = 0; d < days; d++) {
    const day = new Date(from.getTime() + d * DAY_MS);
    for (let p = 0; p < ids.length; p += CHUNK_PROJECTS) chunks.push({ day, p });
  }
  const done = new Set(
    (await db.query(`SELECT day, first_project FROM bench_seed_chunks`)).rows.map((r) => `${new Date(r.day).getTime()}|${r.first_project}`),
  );
  const todo = chunks.filter((c) => !done.has(`${c.day.getTime()}|${c.p}`));
  log(
    `seed: ${ids.length} projects × ${days} days (${from.toISOString()} → ${anchor.toISOString()}), ${todo.length}/${chunks.length} chunks to write`,
  );
  const started = Date.now();
  let rows = 0;
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const { day, p } = todo[next++];
      const part = `samples_${day.toISOString().slice(0, 10).replace(/-/g, '')}`;
      await db.query(`SELECT pg_advisory_lock(7301002)`);
      try {
        await db.query(
          `CREATE TABLE IF NOT EXISTS ${part} PARTITION OF samples FOR VALUES FROM ('${day.toISOString()}') TO ('${new Date(day.getTime() + DAY_MS).toISOString()}')`,
        );
      } finally {
        await db.query(`SELECT pg_advisory_unlock(7301002)`);
      }
      const client = await db.connect();
      try {
        await client.query('BEGIN');
        const res = await client.query(
          `INSERT INTO samples (project_id, env, phase, slot_at, collected_at, requests_per_sec, latency_p95, error_rate, cpu_usage, memory_usage)
           SELECT p.id, 'prod', 'pre', s.slot, s.slot + make_interval(secs => 0.05 + random() * 1.5),
                  greatest(0, 40 + 25 * sin(extract(epoch FROM s.slot) / 5400 + p.n) + random() * 8),
                  80 + random() * 240, random() * 0.02, 0.2 + random() * 0.5, 0.4 + random() * 0.3
             FROM generate_series($1::timestamptz, $1::timestamptz + interval '1 day' - interval '15 seconds', interval '15 seconds') AS s(slot)
            CROSS JOIN unnest($2::uuid[]) WITH ORDINALITY AS p(id, n)
            ORDER BY s.slot, p.n`,
          [day, ids.slice(p, p + CHUNK_PROJECTS)],
        );
        await client.query(`INSERT INTO bench_seed_chunks (day, first_project) VALUES ($1, $2)`, [day, p]);
        await client.query('COMMIT');
        rows += res.rowCount;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      const s = (Date.now() - started) / 1000;
      if (next % 10 === 0 || next === todo.length)
        log(
          `seed: ${next}/${todo.length} chunks, ${(rows / 1e6).toFixed(1)} M rows in ${s.toFixed(0)} s (${Math.round(rows / s / 1000)} k rows/s)`,
        );
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const seconds = (Date.now() - started) / 1000;
  // The insert trigger only marked the minutes pending; build their rollup rows the way worker processes do.
  const [{ exists: asyncRollups }] = (await db.query(`SELECT to_regclass('samples_rollup_pending') IS NOT NULL AS exists`)).rows;
  if (asyncRollups) {
    const r0 = Date.now();
    let minutes = 0;
    for (;;) {
      const [{ n }] = (await db.query(`SELECT samples_rollup_catch_up(240, '0 seconds') AS n`)).rows;
      if (!n) break;
      minutes += n;
      if (minutes % 2400 === 0) log(`seed: rollups caught up for ${minutes} minutes…`);
    }
    if (minutes)
      log(
        `seed: rollups of ${minutes} minutes built in ${((Date.now() - r0) / 1000).toFixed(0)} s (${Math.round(rows / ((Date.now() - r0) / 1000) / 1000)} k samples/s)`,
      );
  }
  if (todo.length) {
    log('seed: VACUUM ANALYZE samples, then rollups re-ordered by time (production locality)…');
    const t0 = Date.now();
    await db.query(`VACUUM ANALYZE samples`);
    // The seed wrote each project's rollup rows together; the collector writes them minute by minute for all
    // projects at once. Re-order the rollups by time so the benchmark reads them with production's (worse) locality.
    for (const table of ['samples_1m', 'samples_15m']) {
      const [{ exists }] = (await db.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [table])).rows;
      if (exists) await db.query(`CLUSTER ${table} USING ${table}_bucket_idx; ANALYZE ${table}`);
    }
    log(`seed: vacuum/analyze took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  const total = Number(
    (await db.query(`SELECT count(*) AS n FROM samples s JOIN projects p ON p.id = s.project_id WHERE p.name LIKE 'bench-%'`)).rows[0].n,
  );
  await db.end();
  return { ids, from, to: anchor, rowsWritten: rows, seconds, totalRows: total };
}
