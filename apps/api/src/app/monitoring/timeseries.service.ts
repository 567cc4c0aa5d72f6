import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { METRIC_NAMES, METRICS } from '@seqpulse/contracts';
import type { DeploymentMarker, MetricName, StepAggregation, TimeseriesPoint, TimeseriesResponse } from '@seqpulse/contracts';
import { isoSeconds } from '../common/time';
import type { TimeseriesRequest } from './timeseries.params';

/** SQL aggregate of one step for each aggregation the metric catalogue declares. */
const SQL_AGGREGATE: Record<StepAggregation, string> = { mean: 'avg', max: 'max' };
/** collected_at − slot_at is always in [0, 40 s): the slot_at bound that lets Postgres prune day partitions. */
export const MAX_COLLECTION_LAG_S = 40;
const MAX_DEPLOYMENTS = 1000;

interface Row {
  t: number;
  deployments: DeploymentMarker[] | null;
  [metric: string]: number | null | DeploymentMarker[];
}

/**
 * The timeseries query: ONE statement per request. `generate_series` lays the epoch-aligned bucket grid, LEFT
 * JOINed with the samples aggregated per bucket in Postgres (so empty buckets come back as NULL), and the
 * deployments of the range ride along on the first row.
 */
@Injectable()
export class TimeseriesService {
  constructor(private readonly db: DataSource) {}

  async query(projectId: string, req: TimeseriesRequest): Promise<TimeseriesResponse> {
    const { sql, params } = buildTimeseriesSql(projectId, req);
    const rows: Row[] = await this.db.query(sql, params);
    const series = Object.fromEntries(METRIC_NAMES.map((m) => [m, new Array<TimeseriesPoint>(rows.length)])) as Record<MetricName, TimeseriesPoint[]>;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const t = isoSeconds(new Date(row.t * 1000));
      for (const m of METRIC_NAMES) series[m][i] = { t, v: row[m] as number | null };
    }
    return {
      project_id: projectId,
      env: req.env,
      phase: req.phase,
      step: req.step,
      from: isoSeconds(new Date(req.fromMs)),
      to: isoSeconds(new Date(req.toMs)),
      series,
      deployments: rows[0]?.deployments ?? [],
    };
  }
}

/** Exported for the unit tests and the benchmark's EXPLAIN. */
export function buildTimeseriesSql(projectId: string, req: TimeseriesRequest): { sql: string; params: unknown[] } {
  const start = req.firstBucket;
  const end = req.lastBucket + req.stepS; // exclusive
  const params: unknown[] = [projectId, req.env, req.stepS, start, end];
  const phaseFilter = req.phase ? `AND s.phase = $${params.push(req.phase)}` : '';
  const aggregates = METRIC_NAMES.map((m) => `${SQL_AGGREGATE[METRICS[m].aggregation]}(s.${m}) AS ${m}`).join(',\n             ');
  const sql = `
    WITH agg AS (
      SELECT (floor(extract(epoch FROM s.collected_at) / $3::int) * $3::int)::bigint AS t,
             ${aggregates}
        FROM samples s
       WHERE s.project_id = $1 AND s.env = $2 ${phaseFilter}
         AND s.collected_at >= to_timestamp($4::bigint) AND s.collected_at < to_timestamp($5::bigint)
         AND s.slot_at > to_timestamp($4::bigint) - interval '${MAX_COLLECTION_LAG_S} seconds' AND s.slot_at < to_timestamp($5::bigint)
       GROUP BY 1
    )
    SELECT g.t::float8 AS t, ${METRIC_NAMES.map((m) => `a.${m}`).join(', ')},
           CASE WHEN g.t = $4::bigint THEN (
             SELECT coalesce(json_agg(json_build_object(
                      'deployment_id', d.id, 'env', d.env,
                      'started_at', to_char(d.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                      'finished_at', to_char(d.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                      'result', d.result) ORDER BY d.started_at, d.id), '[]'::json)
               FROM (SELECT * FROM deployments d
                      WHERE d.project_id = $1 AND d.env = $2
                        AND d.started_at < to_timestamp($5::bigint) AND coalesce(d.finished_at, d.started_at) >= to_timestamp($4::bigint)
                      ORDER BY d.started_at, d.id LIMIT ${MAX_DEPLOYMENTS}) d
           ) END AS deployments
      FROM generate_series($4::bigint, $5::bigint - $3::bigint, $3::bigint) AS g(t)
      LEFT JOIN agg a ON a.t = g.t
     ORDER BY g.t`;
  return { sql, params };
}
