import { ruleViews, thresholdProblem, validateRuleSet } from './alert-rules';
import { backoffSeconds } from '../notifications/notification-dispatcher';
import { describeValue, slackMessage } from '../notifications/messages';

describe('alert rule thresholds', () => {
  it.each([
    ['error_rate_high', 0, true],
    ['error_rate_high', 1, true],
    ['error_rate_high', 1.01, false],
    ['cpu_high', -0.01, false],
    ['memory_high', Number.NaN, false],
    ['latency_p95_high', 0, false],
    ['latency_p95_high', 0.5, true],
    ['latency_p95_high', Infinity, false],
    ['no_data', 5, true],
    ['no_data', 10, true],
    ['no_data', 4, false],
    ['no_data', 11, false],
    ['no_data', 7.5, false],
  ] as const)('%s %p → valid %p', (rule, threshold, valid) => {
    expect(thresholdProblem(rule, threshold) === null).toBe(valid);
  });

  it('reports every problem of a rule set, with its field', () => {
    const { problems } = validateRuleSet(
      [
        { rule: 'no_data', threshold: 3 },
        { rule: 'cpu_high', env: 'qa', threshold: 0.5 },
        { rule: 'cpu_high', threshold: 0.5 },
        { rule: 'cpu_high', env: null, threshold: 0.7 },
      ],
      ['prod'],
    );
    expect(problems.map((p) => p.field)).toEqual(['rules.0.threshold', 'rules.1', 'rules.3']);
  });

  it('serves project-wide rules (stored or default) then overrides of existing envs in env order', () => {
    const views = ruleViews(
      [
        { env: 'b', rule: 'no_data', threshold: 9, enabled: true },
        { env: '', rule: 'cpu_high', threshold: 0.9, enabled: false },
        { env: 'gone', rule: 'cpu_high', threshold: 0.1, enabled: true },
        { env: 'a', rule: 'no_data', threshold: 6, enabled: true },
      ],
      ['a', 'b'],
    );
    expect(views.map((v) => `${v.rule}:${v.env}:${v.threshold}:${v.enabled}`)).toEqual([
      'error_rate_high:null:0.01:true',
      'latency_p95_high:null:500:true',
      'cpu_high:null:0.9:false',
      'memory_high:null:0.85:true',
      'no_data:null:5:true',
      'no_data:a:6:true',
      'no_data:b:9:true',
    ]);
  });
});

describe('notification retries and messages', () => {
  it('backs off exponentially from the base, capped at 15 minutes', () => {
    expect([1, 2, 3, 4, 10, 20].map((n) => backoffSeconds(n, 5))).toEqual([5, 10, 20, 40, 900, 900]);
  });

  it("writes a readable Slack text in the metric's unit", () => {
    expect(describeValue('error_rate_high', 0.0234, 0.01)).toBe('5-min mean error_rate 2.34 % > threshold 1 %');
    expect(describeValue('latency_p95_high', 612.345, 500)).toBe('5-min mean latency_p95 612.3 ms > threshold 500 ms');
    expect(describeValue('no_data', 5.25, 5)).toBe('no sample for 5.25 min (threshold 5 min)');
    const alert = {
      id: 'a',
      rule: 'cpu_high' as const,
      env: 'prod',
      state: 'resolved' as const,
      value: 0.9,
      threshold: 0.8,
      started_at: '2026-01-01T10:00:00Z',
      resolved_at: '2026-01-01T10:12:00Z',
      resolution_reason: 'recovered',
    };
    expect(slackMessage({ projectId: 'p', transition: 'resolved', alert, at: new Date() }, 'Shop <prod>').text).toBe(
      ':white_check_mark: *RESOLVED* `cpu_high` on *Shop &lt;prod&gt;* (prod) after 12 min, recovered (resolved at 2026-01-01T10:12:00Z)',
    );
  });
});
