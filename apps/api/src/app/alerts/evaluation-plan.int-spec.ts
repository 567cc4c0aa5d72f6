/**
 * The periodic pass runs as a prepared statement with a generic plan, where the planner guesses its ranges. With an
 * hour of samples of many envs, its window must be read from the BRIN range of `collected_at` alone: a closed
 * `slot_at` range made the planner AND it with a primary-key skip scan over every env's prefix (docs/performance.md,
 * "Twelfth round"). Real Postgres, samples written in time order as the collector writes them.
 */
import { METRIC_NAMES } from '@seqpulse/contracts';
import type { TestApp } from '../../testing/test-app';
import { startAlertTestApp } from '../../testing/alert-fixtures';
import { SamplesStore } from '../samples/samples.store';
import { EVALUATE_SQL } from './evaluation-sql';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];

describe('the periodic pass plan (real Postgres)', () => {
  let t: TestApp;

  beforeAll(async () => ({ t } = await startAlertTestApp()));
  afterAll(() => t.close());

  it('reads the window of every env through the BRIN index alone, not the primary key', async () => {
    const now = new Date();
    await t.app.get(SamplesStore).ensurePartitions(new Date(now.getTime() - 3_600_000), now);
    // 400 envs × the last hour at 15 s, slot by slot
    await t.db.query(
      `INSERT INTO samples (project_id, env, phase, slot_at, collected_at, ${METRIC_NAMES.join(', ')})
       SELECT p.id, 'prod', 'pre', s.at, s.at + interval '300 milliseconds', ${METRIC_NAMES.map(() => '0.5').join(', ')}
         FROM generate_series($1::timestamptz - interval '1 hour', $1::timestamptz - interval '1 second', interval '15 seconds') AS s(at)
        CROSS JOIN (SELECT gen_random_uuid() AS id FROM generate_series(1, 400)) p
        ORDER BY s.at, p.id`,
      [now],
    );
    await t.db.query(`ANALYZE samples`);
    const client = await t.db.connect();
    try {
      await client.query(`BEGIN; SET LOCAL plan_cache_mode = force_generic_plan`);
      await client.query(`PREPARE periodic_pass(timestamptz) AS ${EVALUATE_SQL}`);
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE periodic_pass('${now.toISOString()}')`);
      const plan = rows[0]['QUERY PLAN'][0].Plan as PlanNode;
      // The window is the statement's only bitmap read of `samples` (the per-env reads are primary-key ranges)
      const bitmapReads = nodes(plan)
        .filter((n) => n['Node Type'] === 'Bitmap Index Scan')
        .map((n) => n['Index Name'] as string);
      expect(bitmapReads.filter((name) => /^samples_\d{8}_collected_at_idx$/.test(name)).length).toBeGreaterThan(0);
      expect(bitmapReads.filter((name) => /^samples_\d{8}_pkey$/.test(name))).toEqual([]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});
