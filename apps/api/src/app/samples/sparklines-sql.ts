import { METRIC_NAMES, METRICS, OVERVIEW_SPARK_MINUTES } from '@seqpulse/contracts';
import type { MetricName } from '@seqpulse/contracts';
import { MAX_COLLECTION_LAG_S } from './samples.store';

export interface SparklineRow {
  project_id: string;
  env: string;
  /** Postgres array literals, one entry per (minute, phase) row: the minute index (0 = oldest), the count… */
  offsets: string;
  counts: string;
  /** …and per metric the sum (mean metrics) or the max (max metrics) of that row. */
  [metric: string]: string;
}

/** Per (project, env): one array per metric of `OVERVIEW_SPARK_MINUTES` minute aggregates, `null` for empty minutes. */
export type Sparklines = Map<string, Record<MetricName, (number | null)[]>>;

/** Significant digits of a sparkline value. */
export const SPARK_DIGITS = 4;

/** A grid of empty minutes for every metric. */
export function emptySpark(minutes = OVERVIEW_SPARK_MINUTES): Record<MetricName, (number | null)[]> {
  return Object.fromEntries(METRIC_NAMES.map((m) => [m, new Array<number | null>(minutes).fill(null)])) as Record<
    MetricName,
    (number | null)[]
  >;
}

export const sparkKey = (projectId: string, env: string) => `${projectId}/${env}`;

/**
 * Per metric, the items of a sparkline as JSON text without the brackets (`1.5,null,2`): sparklines are cached
 * and answered in this form, so an overview of 400 envs never builds then serialises 120,000 numbers per request.
 */
export type SparkItems = Record<MetricName, string>;

export function sparkItems(spark: Record<MetricName, (number | null)[]>): SparkItems {
  return Object.fromEntries(METRIC_NAMES.map((m) => [m, spark[m].map((v) => (v === null ? 'null' : String(v))).join(',')])) as SparkItems;
}

/** The JSON object of one sparkline from its parts in time order (e.g. the settled minutes, then the recent ones). */
export function sparkJson(...parts: SparkItems[]): string {
  return `{${METRIC_NAMES.map((m) => `"${m}":[${parts.map((p) => p[m]).join(',')}]`).join(',')}}`;
}

/**
 * The sparklines of many (project, env) pairs in ONE statement: the last hour's settled minutes come from the
 * one-minute rollup (Σ/n, max as the catalogue aggregates), the minutes still pending from the raw samples.
 * Without rollups (TimescaleDB mode) every minute comes from the raw samples. $1/$2: the pairs, $3: the first
 * minute (epoch s), $4: the end (exclusive).
 */
export function buildSparklinesSql(rollups: boolean): string {
  // one partial aggregate per metric: the sum for a mean, the max for a max (the catalogue's aggregation)
  const part = (m: MetricName) => (METRICS[m].aggregation === 'max' ? 'max' : 'sum');
  const rawCols = METRIC_NAMES.map((m) => `${part(m)}(s.${m})`).join(', ');
  const minuteOf = `to_timestamp(floor(date_part('epoch', s.collected_at) / 60) * 60)`;
  const raw = (onlyPending: boolean) => `
      SELECT s.project_id, s.env, ${minuteOf} AS bucket, count(*) AS n, ${rawCols}
        FROM samples s JOIN pairs p ON p.project_id = s.project_id AND p.env = s.env
       WHERE s.collected_at >= ${onlyPending ? `coalesce((SELECT lo FROM span), to_timestamp($4::bigint))` : 'to_timestamp($3::bigint)'}
         AND s.collected_at < to_timestamp($4::bigint)
         AND s.slot_at > to_timestamp($3::bigint) - interval '${MAX_COLLECTION_LAG_S} seconds' AND s.slot_at < to_timestamp($4::bigint)
         ${onlyPending ? `AND s.slot_at > coalesce((SELECT lo FROM span), to_timestamp($4::bigint)) - interval '${MAX_COLLECTION_LAG_S} seconds'` : ''}
         ${onlyPending ? `AND ${minuteOf} IN (SELECT minute FROM pending)` : ''}
       GROUP BY 1, 2, 3`;
  const parts = rollups
    ? `SELECT m.project_id, m.env, m.bucket, m.n, ${METRIC_NAMES.map((m) => `m.${m}_${part(m)}`).join(', ')}
         FROM samples_1m m JOIN pairs p ON p.project_id = m.project_id AND p.env = m.env
        WHERE m.bucket >= to_timestamp($3::bigint) AND m.bucket < to_timestamp($4::bigint)
          AND m.bucket NOT IN (SELECT minute FROM pending)
       UNION ALL ${raw(true)}`
    : raw(false);
  // One aggregation level: rows per (minute, phase) go out as arrays and Node merges a minute's rows (both
  // phases) on the grid; a per-minute GROUP BY here would sort and aggregate every row twice.
  return `
    WITH pairs AS (
      SELECT * FROM unnest($1::uuid[], $2::text[]) AS u(project_id, env)
    ), pending AS (
      ${rollups ? `SELECT DISTINCT minute FROM samples_rollup_pending WHERE minute >= to_timestamp($3::bigint) AND minute < to_timestamp($4::bigint)` : 'SELECT NULL::timestamptz AS minute WHERE false'}
    ), span AS (
      SELECT min(minute) AS lo FROM pending
    ), parts (project_id, env, bucket, n, ${METRIC_NAMES.join(', ')}) AS (${parts}
    )
    SELECT project_id::text, env,
           array_agg(((date_part('epoch', bucket)::bigint - $3::bigint) / 60)::int ORDER BY bucket)::text AS offsets,
           array_agg(n ORDER BY bucket)::text AS counts,
           ${METRIC_NAMES.map((m) => `array_agg(${m} ORDER BY bucket)::text AS ${m}`).join(', ')}
      FROM parts GROUP BY project_id, env`;
}

/** Rows → per pair, per metric, a grid of `minutes` minutes (rows of one minute merged), `null` for empty minutes. */
export function toSparklines(rows: SparklineRow[], minutes = OVERVIEW_SPARK_MINUTES): Sparklines {
  const out: Sparklines = new Map();
  for (const row of rows) {
    const offsets = items(row.offsets).map(Number);
    const counts = items(row.counts).map(Number);
    const spark = {} as Record<MetricName, (number | null)[]>;
    for (const m of METRIC_NAMES) {
      const max = METRICS[m].aggregation === 'max';
      const acc = new Array<number>(minutes).fill(max ? Number.NEGATIVE_INFINITY : 0);
      const n = new Array<number>(minutes).fill(0);
      items(row[m]).forEach((text, k) => {
        const i = offsets[k];
        if (!(i >= 0 && i < minutes) || text === 'NULL') return;
        const v = Number(text);
        acc[i] = max ? Math.max(acc[i], v) : acc[i] + v;
        n[i] += counts[k];
      });
      // a sparkline is drawn a few dozen pixels high: 4 significant digits are plenty and halve the answer
      spark[m] = acc.map((a, i) => (n[i] ? Number((max ? a : a / n[i]).toPrecision(SPARK_DIGITS)) : null));
    }
    out.set(sparkKey(row.project_id, row.env), spark);
  }
  return out;
}

function items(literal: string | null | undefined): string[] {
  return literal && literal.length > 2 ? literal.slice(1, -1).split(',') : [];
}
