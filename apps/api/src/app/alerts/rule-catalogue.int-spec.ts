/**
 * Adding a threshold rule is one catalogue entry: the evaluation statement composed from a catalogue with one more
 * entry (a low-traffic rule, `min` aggregation, comparison `below`) fires and resolves it like a built-in rule, and
 * the built-in rules keep their answers alongside it.
 */
import { ALERT_RULE_CATALOGUE } from '@seqpulse/contracts';
import type { AlertRuleDefinition } from '@seqpulse/contracts';
import { startTestApp, TestApp } from '../../testing/test-app';
import { ALERT_TEST_ENV, alertsOf, at, monitoredProject, owner, series, store, yesterday } from '../../testing/alert-fixtures';
import { buildEvaluateSql } from './evaluation-sql';

const WITH_TRAFFIC_LOW: Record<string, AlertRuleDefinition> = {
  ...ALERT_RULE_CATALOGUE,
  traffic_low: { kind: 'threshold', metric: 'requests_per_sec', aggregation: 'min', comparison: 'below', defaultThreshold: 1 },
};

describe('the rule catalogue drives the evaluation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp(ALERT_TEST_ENV);
    // At start-up the app derives this constraint from the built-in catalogue; the larger one needs it widened.
    await t.db.query(`ALTER TABLE alerts DROP CONSTRAINT alerts_rule_check`);
  });
  afterAll(() => t.close());

  it('a new threshold rule fires when its aggregate crosses, and resolves when it comes back', async () => {
    const o = await owner(t);
    const { id } = await monitoredProject(t, o);
    const T = yesterday(3);
    // 10 req/s, then one sample at 0.5 req/s: the window's minimum falls below 1 while its mean stays near 10.
    await store(
      t,
      series(id, 'prod', at(T, -600), 60, (i) => ({ requests_per_sec: i === 45 ? 0.5 : 10 })),
    );
    const evaluate = async (now: Date) => t.db.query(buildEvaluateSql(WITH_TRAFFIC_LOW), [now]);

    await evaluate(at(T, 0)); // the low sample (slot T + 75 s) is not stored yet in this window
    expect((await alertsOf(t, id)).filter((a) => a.rule === 'traffic_low')).toEqual([]);

    await evaluate(at(T, 90));
    const fired = (await alertsOf(t, id)).filter((a) => a.rule === 'traffic_low');
    expect(fired).toMatchObject([{ state: 'firing', value: 0.5, threshold: 1 }]);
    // The mean stayed high: no built-in rule fired with it.
    expect((await alertsOf(t, id)).filter((a) => a.rule !== 'traffic_low')).toEqual([]);

    await evaluate(at(T, 90 + 301)); // the low sample left the window
    expect((await alertsOf(t, id)).filter((a) => a.rule === 'traffic_low')).toMatchObject([
      { state: 'resolved', resolution_reason: 'recovered' },
    ]);
  });

  it('the statement of the built-in catalogue is the one the evaluator runs', () => {
    expect(buildEvaluateSql()).toBe(buildEvaluateSql(ALERT_RULE_CATALOGUE));
    expect(buildEvaluateSql(WITH_TRAFFIC_LOW)).toContain(`WHEN 'traffic_low' THEN r.aggregate < r.threshold`);
  });
});
