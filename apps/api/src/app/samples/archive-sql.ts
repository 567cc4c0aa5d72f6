import { METRIC_NAMES } from '@seqpulse/contracts';

/**
 * The columnar archive of closed days (migration SamplesArchive): per (project, env, period) one row holding the
 * period's rows of a live table as one array per column; a period is an hour for the raw samples (a 30-minute
 * read unnests 240 elements, not a day's 5,760) and a UTC day for the rollups (a day at 60 s reads one row).
 * Everything here is derived from the metric catalogue,
 * like the rest of the store's SQL, so a new metric needs only its columns in a migration.
 */

/** The rollups' aggregate columns: per bucket the count and, for each metric, the sum and the max. */
export const ROLLUP_AGGREGATE_COLUMNS = ['n', ...METRIC_NAMES.flatMap((m) => [`${m}_sum`, `${m}_max`])];

/** One column of a live row and how it is kept in the archive (one array element per live row). */
interface ArchivedColumn {
  /** The live column (what readers see). */
  live: string;
  /** The archive's array column and its element type. */
  archive: string;
  type: string;
  /** The element from a live row `l` (compaction). */
  toArchive: string;
  /** The live value of archive row `a`'s element, given each archive column's element (reads). */
  fromArchive: (element: (archive: string) => string) => string;
}

export interface ArchivedTable {
  live: 'samples' | 'samples_1m' | 'samples_15m';
  archive: string;
  /** The column that places a row in its day and period (the partition key of `samples`, the bucket of a rollup). */
  key: 'slot_at' | 'bucket';
  /** Seconds per archive row (an hour or a day; a day is a whole number of them). */
  periodS: number;
  columns: ArchivedColumn[];
  /** Array element order. */
  order: string[];
  /** What identifies an element when a live row meets an archived one (a rollup bucket is recomputed for both phases). */
  identity: string;
  /**
   * Who wins when a live row and an archived one share a key: a recomputed rollup bucket replaces the archived
   * one (the live table shadows the archive until the next pass merges it); a raw slot is written once (the
   * live insert is `ON CONFLICT DO NOTHING`), so the archived sample stays and a re-sent copy is dropped.
   */
  liveWins: boolean;
}

const same = (name: string, type: string): ArchivedColumn => ({
  live: name,
  archive: name,
  type,
  toArchive: `l.${name}`,
  fromArchive: (u) => u(name),
});
const phase: ArchivedColumn = {
  live: 'phase',
  archive: 'post',
  type: 'boolean',
  toArchive: `l.phase = 'post'`,
  fromArchive: (u) => `(ARRAY['pre', 'post'])[${u('post')}::int + 1]`, // no CASE: it may not hold a set-returning function
};
const ms = (expr: string) => `round(extract(epoch FROM ${expr}) * 1000)::int4`;
/** The start of the period of width `seconds` containing `expr` (UTC, whatever the session's time zone). */
const periodOf = (expr: string, seconds: number) => `to_timestamp(floor(date_part('epoch', ${expr}) / ${seconds}) * ${seconds})`;
const HOUR_S = 3_600;
const DAY_S = 86_400;

export const SAMPLES_ARCHIVE: ArchivedTable = {
  live: 'samples',
  archive: 'samples_archive',
  key: 'slot_at',
  periodS: HOUR_S,
  columns: [
    phase,
    // timestamps to the millisecond (the collector writes epoch milliseconds)
    {
      live: 'slot_at',
      archive: 'slot_ms',
      type: 'int4',
      toArchive: ms(`l.slot_at - ${periodOf('l.slot_at', HOUR_S)}`),
      fromArchive: (u) => `a.period_start + ${u('slot_ms')} * interval '1 millisecond'`,
    },
    {
      live: 'collected_at',
      archive: 'lag_ms',
      type: 'int4',
      toArchive: ms('l.collected_at - l.slot_at'),
      fromArchive: (u) => `a.period_start + (${u('slot_ms')} + ${u('lag_ms')}) * interval '1 millisecond'`,
    },
    ...METRIC_NAMES.map((m) => same(m, 'float8')),
  ],
  order: ['slot_ms'],
  identity: 'slot_ms',
  liveWins: false,
};

const rollupArchive = (live: 'samples_1m' | 'samples_15m'): ArchivedTable => ({
  live,
  archive: `${live}_archive`,
  key: 'bucket',
  periodS: DAY_S,
  columns: [
    phase,
    {
      live: 'bucket',
      archive: 'bucket_s',
      type: 'int4',
      toArchive: `extract(epoch FROM l.bucket - ${periodOf('l.bucket', DAY_S)})::int4`,
      fromArchive: (u) => `a.period_start + ${u('bucket_s')} * interval '1 second'`,
    },
    ...ROLLUP_AGGREGATE_COLUMNS.map((c) => same(c, c === 'n' ? 'int4' : 'float8')),
  ],
  order: ['bucket_s', 'post'],
  identity: 'bucket_s',
  liveWins: true,
});

export const ARCHIVED_TABLES: readonly ArchivedTable[] = [SAMPLES_ARCHIVE, rollupArchive('samples_1m'), rollupArchive('samples_15m')];
export const archiveOf = (live: ArchivedTable['live']): ArchivedTable => ARCHIVED_TABLES.find((t) => t.live === live) as ArchivedTable;

/** Where the rows of a read come from: one project/env (SQL expressions) or, without them, every series. */
export interface ArchiveRange {
  project?: string;
  env?: string;
  /** Bounds of the key column (SQL timestamptz expressions, `lo` ≤ key < `hi`): only the archive periods they touch are read. */
  lo: string;
  hi: string;
}

/** Live columns of a table's rows, in the order every part of a union yields them. */
export const liveColumns = (t: ArchivedTable) => ['project_id', 'env', ...t.columns.map((c) => c.live)];

/** Unnested archive rows `u` of archive `a` (a multi-argument unnest: one row per element, arrays side by side). */
const unnested = (t: ArchivedTable) =>
  `${t.archive} a CROSS JOIN LATERAL unnest(${t.columns.map((c) => `a.${c.archive}`).join(', ')}) AS u(${t.columns.map((c) => c.archive).join(', ')})`;

/**
 * The archived rows of a range, with the live table's columns: only the archive rows of the periods it touches.
 * The arrays are unnested in the select list (streamed side by side, one row per element) rather than by a
 * multi-argument `unnest` in FROM, which materialises every element first; and a select list with set-returning
 * functions is not merged into the outer query, so each live column (the bucket's timestamp) is computed once per
 * element, not once per condition that reads it (a day at 60 s: 2,880 elements, 8 conditions).
 */
export function archivedRowsSql(t: ArchivedTable, range: ArchiveRange): string {
  const series = [range.project ? `a.project_id = ${range.project}` : '', range.env ? `a.env = ${range.env}` : ''].filter(Boolean);
  const element = (archive: string) => `unnest(a.${archive})`;
  return `SELECT a.project_id, a.env, ${t.columns.map((c) => `${c.fromArchive(element)} AS ${c.live}`).join(', ')}
            FROM ${t.archive} a
           WHERE ${[...series, `a.period_start > (${range.lo}) - interval '${t.periodS} seconds'`, `a.period_start < (${range.hi})`].join(' AND ')}`;
}

/**
 * THE way to read a table that may hold closed days: the rows of the live table UNION ALL the unnested archive
 * rows of the periods the range touches, as one derived table `alias` with the live table's columns. `where` (over
 * `alias`) is applied to both parts, so the live part keeps its partition pruning and primary-key range; on a
 * rollup, a bucket recomputed since its day was archived (a late sample) is read from the live table only.
 */
export function liveAndArchivedSql(table: ArchivedTable['live'], range: ArchiveRange & { alias: string; where: string }): string {
  const t = archiveOf(table);
  const s = range.alias;
  const series = [range.project ? `${s}.project_id = ${range.project}` : '', range.env ? `${s}.env = ${range.env}` : ''].filter(Boolean);
  // one series: the live keys of the range, hashed once; every series (the catch-up): a correlated probe
  const shadowed = !t.liveWins
    ? ''
    : range.project && range.env
      ? ` AND ${s}.${t.key} NOT IN (SELECT l.${t.key} FROM ${t.live} l WHERE l.project_id = ${range.project} AND l.env = ${range.env} AND l.${t.key} >= (${range.lo}) AND l.${t.key} < (${range.hi}))`
      : ` AND NOT EXISTS (SELECT 1 FROM ${t.live} l WHERE l.project_id = ${s}.project_id AND l.env = ${s}.env AND l.${t.key} = ${s}.${t.key})`;
  const cols = liveColumns(t)
    .map((c) => `${s}.${c}`)
    .join(', ');
  return `(SELECT ${cols} FROM ${t.live} ${s} WHERE ${[...series, range.where].join(' AND ')}
        UNION ALL
        SELECT ${cols} FROM (${archivedRowsSql(t, range)}) ${s} WHERE ${range.where}${shadowed})`;
}

/**
 * Moves the rows of one UTC day ($1) of a batch of series ($2 projects, $3 envs) from the live table into the
 * archive, in ONE statement (so a crash leaves either the batch archived or nothing changed): delete the live
 * rows, merge them with the archive rows of their periods if they exist (a late sample after an earlier pass),
 * write the archive rows. A raw sample re-sent for a slot already archived is dropped, and its minute marked pending
 * again so the rollups forget it. Returns how many live rows moved.
 */
export function compactionSql(t: ArchivedTable, rollupsPending: boolean): string {
  const cols = t.columns.map((c) => c.archive);
  const pairs = `(SELECT * FROM unnest($2::uuid[], $3::text[]) AS p(project_id, env))`;
  const sameElement = (x: string, y: string) =>
    `${x}.project_id = ${y}.project_id AND ${x}.env = ${y}.env AND ${x}.period_start = ${y}.period_start AND ${x}.${t.identity} = ${y}.${t.identity}`;
  const merged = t.liveWins
    ? `SELECT * FROM fresh UNION ALL
       SELECT * FROM kept k WHERE NOT EXISTS (SELECT 1 FROM fresh f WHERE ${sameElement('f', 'k')})`
    : `SELECT * FROM kept UNION ALL
       SELECT * FROM fresh f WHERE NOT EXISTS (SELECT 1 FROM kept k WHERE ${sameElement('k', 'f')})`;
  const repending =
    !t.liveWins && rollupsPending
      ? `, repending AS (
    INSERT INTO samples_rollup_pending (minute)
    SELECT DISTINCT to_timestamp(floor(date_part('epoch', f.period_start + (f.slot_ms + f.lag_ms) * interval '1 millisecond') / 60) * 60)
      FROM fresh f WHERE EXISTS (SELECT 1 FROM kept k WHERE ${sameElement('k', 'f')})
  )`
      : '';
  return `
  WITH moved AS (
    DELETE FROM ${t.live} l
     WHERE (l.project_id, l.env) IN ${pairs}
       AND l.${t.key} >= $1::timestamptz AND l.${t.key} < $1::timestamptz + interval '1 day'
    RETURNING l.*
  ), fresh AS (
    SELECT l.project_id, l.env, ${periodOf(`l.${t.key}`, t.periodS)} AS period_start, ${t.columns.map((c) => `${c.toArchive} AS ${c.archive}`).join(', ')} FROM moved l
  ), kept AS (
    SELECT a.project_id, a.env, a.period_start, ${cols.map((c) => `u.${c}`).join(', ')}
      FROM ${unnested(t)}
     WHERE a.period_start >= $1::timestamptz AND a.period_start < $1::timestamptz + interval '1 day' AND (a.project_id, a.env) IN ${pairs}
  ), merged AS (
    ${merged}
  )${repending}, stored AS (
    INSERT INTO ${t.archive} AS a (project_id, env, period_start, ${cols.join(', ')})
    SELECT m.project_id, m.env, m.period_start, ${cols.map((c) => `array_agg(m.${c} ORDER BY ${t.order.map((o) => `m.${o}`).join(', ')})`).join(', ')}
      FROM merged m
     GROUP BY m.project_id, m.env, m.period_start
    ON CONFLICT (project_id, env, period_start) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM moved)::int AS moved, (SELECT count(*) FROM stored)::int AS archived`;
}
