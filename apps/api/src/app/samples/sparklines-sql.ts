import { METRIC_NAMES, METRICS, OVERVIEW_SPARK_MINUTES } from '@seqpulse/contracts';
import type { MetricName } from '@seqpulse/contracts';
import { MAX_COLLECTION_LAG_S } from './samples.store';

export interface SparklineRow {
  project_id: string;
  env: string;
  /** Postgres array literal of minute indexes (0 = oldest minute) that have samples. */
  offsets: string;
  [metric: string]: string;
}

/** Per (project, env): one array per metric of `OVERVIEW_SPARK_MINUTES` minute aggregates, `null` for empty minutes. */
export type Sparklines = Map<string, Record<MetricName, (number | null)[]>>;

export const sparkKey = (projectId: string, env: string) => `${projectId}/${env}`;

/**
 * The sparklines of many (project, env) pairs in ONE statement: the last hour's settled minutes come from the
 * one-minute rollup (Σ/n, max as the catalogue aggregates), the minutes still pending from the raw samples.
 * Without rollups (TimescaleDB mode) every minute comes from the raw samples. $1/$2: the pairs, $3: the first
 * minute (epoch s), $4: the end (exclusive).
 */
export function buildSparklinesSql(rollups: boolean): string {
  const rawCols = METRIC_NAMES.map((m) => `sum(s.${m}), max(s.${m})`).join(', ');
  const minuteOf = `to_timestamp(floor(date_part('epoch', s.collected_at) / 60) * 60)`;
  const raw = (onlyPending: boolean) => `
      SELECT s.project_id, s.env, ${minuteOf} AS bucket, count(*) AS n, ${rawCols}
        FROM samples s JOIN pairs p ON p.project_id = s.project_id AND p.env = s.env
       WHERE s.collected_at >= ${onlyPending ? `coalesce((SELECT lo FROM span), to_timestamp($4::bigint))` : 'to_timestamp($3::bigint)'}
         AND s.collected_at < to_timestamp($4::bigint)
         AND s.slot_at > to_timestamp($3::bigint) - interval '${MAX_COLLECTION_LAG_S} seconds' AND s.slot_at < to_timestamp($4::bigint)
         ${onlyPending ? `AND ${minuteOf} IN (SELECT minute FROM pending)` : ''}
       GROUP BY 1, 2, 3`;
  const aggCols = ['n', ...METRIC_NAMES.flatMap((m) => [`${m}_sum`, `${m}_max`])];
  const parts = rollups
    ? `SELECT m.project_id, m.env, m.bucket, ${aggCols.map((c) => `m.${c}`).join(', ')}
         FROM samples_1m m JOIN pairs p ON p.project_id = m.project_id AND p.env = m.env
        WHERE m.bucket >= to_timestamp($3::bigint) AND m.bucket < to_timestamp($4::bigint)
          AND m.bucket NOT IN (SELECT minute FROM pending)
       UNION ALL ${raw(true)}`
    : raw(false);
  const value = (m: MetricName) => (METRICS[m].aggregation === 'max' ? `max(u.${m}_max)` : `sum(u.${m}_sum) / sum(u.n)`);
  return `
    WITH pairs AS (
      SELECT * FROM unnest($1::uuid[], $2::text[]) AS u(project_id, env)
    ), pending AS (
      ${rollups ? `SELECT DISTINCT minute FROM samples_rollup_pending WHERE minute >= to_timestamp($3::bigint) AND minute < to_timestamp($4::bigint)` : 'SELECT NULL::timestamptz AS minute WHERE false'}
    ), span AS (
      SELECT min(minute) AS lo FROM pending
    ), parts (project_id, env, bucket, ${aggCols.join(', ')}) AS (${parts}
    ), minutes AS (
      SELECT u.project_id, u.env, ((date_part('epoch', u.bucket)::bigint - $3::bigint) / 60)::int AS i,
             ${METRIC_NAMES.map((m) => `${value(m)} AS ${m}`).join(', ')}
        FROM parts u GROUP BY u.project_id, u.env, u.bucket
    )
    SELECT project_id::text, env, array_agg(i ORDER BY i)::text AS offsets,
           ${METRIC_NAMES.map((m) => `array_agg(${m} ORDER BY i)::text AS ${m}`).join(', ')}
      FROM minutes GROUP BY project_id, env`;
}

/** Rows → per pair, per metric, the minute grid with `null` for empty minutes. */
export function toSparklines(rows: SparklineRow[]): Sparklines {
  const out: Sparklines = new Map();
  for (const row of rows) {
    const offsets = items(row.offsets).map(Number);
    const spark = {} as Record<MetricName, (number | null)[]>;
    for (const m of METRIC_NAMES) {
      const grid = new Array<number | null>(OVERVIEW_SPARK_MINUTES).fill(null);
      items(row[m]).forEach((v, k) => {
        const i = offsets[k];
        if (i >= 0 && i < OVERVIEW_SPARK_MINUTES && v !== 'NULL') grid[i] = Number(v);
      });
      spark[m] = grid;
    }
    out.set(sparkKey(row.project_id, row.env), spark);
  }
  return out;
}

function items(literal: string | null | undefined): string[] {
  return literal && literal.length > 2 ? literal.slice(1, -1).split(',') : [];
}
