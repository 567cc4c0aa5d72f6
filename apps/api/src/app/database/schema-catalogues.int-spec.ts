/**
 * The catalogues against the real schema: every table has an owner, every metric has its columns, and the one
 * "monitored" rule (rollout's `project_monitoring` view) answers right for every plan × stage × pilot list.
 */
import { METRIC_NAMES, PLANS } from '@seqpulse/contracts';
import type { Plan, RolloutStage } from '@seqpulse/contracts';
import { startTestApp, TestApp } from '../../testing/test-app';
import { TABLE_OWNERS } from './table-owners';

describe('schema and catalogues', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ SEQPULSE_ROLE: 'api' });
  });
  afterAll(() => t.close());

  it('every table and view of the schema has exactly one owner in TABLE_OWNERS, and every entry exists', async () => {
    const { rows } = await t.db.query<{ name: string; kind: string }>(
      `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v') AND NOT c.relispartition`,
    );
    const schema = rows.map((r) => r.name).filter((name) => name !== 'migrations');
    expect(schema.sort()).toEqual(Object.keys(TABLE_OWNERS).sort());
    const views = rows.filter((r) => r.kind === 'v').map((r) => r.name);
    expect(views.sort()).toEqual(
      Object.entries(TABLE_OWNERS)
        .filter(([, owner]) => owner.view)
        .map(([name]) => name)
        .sort(),
    );
  });

  it('the store and both rollup levels have the columns of every metric of the catalogue', async () => {
    const { rows } = await t.db.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_name IN ('samples', 'samples_1m', 'samples_15m')`,
    );
    const has = (table: string, column: string) => rows.some((r) => r.table_name === table && r.column_name === column);
    const missing = METRIC_NAMES.flatMap((m) => [
      ...(has('samples', m) ? [] : [`samples.${m}`]),
      ...['samples_1m', 'samples_15m'].flatMap((table) =>
        [`${m}_sum`, `${m}_max`].filter((column) => !has(table, column)).map((column) => `${table}.${column}`),
      ),
    ]);
    expect(missing).toEqual([]);
  });

  describe('project_monitoring: the one "monitored" rule', () => {
    const STAGES: RolloutStage[] = ['pilot', 'general'];
    /** The contract: enterprise, and in the pilot list unless the stage is general. */
    const expected = (plan: Plan, stage: RolloutStage, inPilot: boolean) => plan === 'enterprise' && (stage === 'general' || inPilot);

    it.each(STAGES)('answers every plan, on and off the pilot list, in stage %s (view, gate and project view agree)', async (stage) => {
      const admin = await t.login('root@seqpulse.test', 'root-password-123');
      const { token } = await t.signupAndLogin();
      const cases: { id: string; plan: Plan; inPilot: boolean }[] = [];
      for (const plan of PLANS) {
        for (const inPilot of [false, true]) {
          const created = await t.call('POST', '/projects', {
            token,
            body: { name: `${plan}-${inPilot}`, envs: ['prod'], metrics_endpoint: 'https://8.8.8.8/m' },
          });
          expect(created.status).toBe(201);
          await t.call('PUT', `/admin/projects/${created.body.id}/plan`, { token: admin, body: { plan } });
          cases.push({ id: created.body.id, plan, inPilot });
        }
      }
      const pilots = cases.filter((c) => c.inPilot).map((c) => c.id);
      expect((await t.call('PUT', '/admin/rollout', { token: admin, body: { stage, pilot_project_ids: pilots } })).status).toBe(200);

      const { rows } = await t.db.query<{ project_id: string; monitored: boolean }>(
        `SELECT project_id, monitored FROM project_monitoring WHERE project_id = ANY($1::uuid[])`,
        [cases.map((c) => c.id)],
      );
      for (const c of cases) {
        const want = expected(c.plan, stage, c.inPilot);
        expect({ ...c, monitored: rows.find((r) => r.project_id === c.id)?.monitored }).toEqual({ ...c, monitored: want });
        const project = await t.call('GET', `/projects/${c.id}`, { token });
        expect(project.body.monitoring.enabled).toBe(want);
        const gated = await t.call('GET', `/monitoring/enterprise/alert-rules?project_id=${c.id}`, { token });
        expect({ id: c.id, status: gated.status }).toEqual({ id: c.id, status: want ? 200 : 403 });
        if (!want) expect(gated.body.code).toBe(c.plan === 'enterprise' ? 'monitoring_not_enabled' : 'plan_not_enterprise');
      }
    });
  });
});
