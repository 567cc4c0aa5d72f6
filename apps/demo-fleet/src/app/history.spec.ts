import { METRIC_NAMES } from '@seqpulse/contracts';
import { BASELINE_MODE } from './modes';
import { historyOf, pastIncident } from './history';
import { computeMetrics } from './traffic-model';
import { targetProfile } from './target-profile';

const NOW = Date.parse('2026-11-28T12:00:07Z');
const DAY = 86_400_000;

describe('demo history', () => {
  it('is what the target would have answered: the live model, one row per step, catalogue order', () => {
    const from = NOW - DAY;
    const rows = historyOf('checkout-staging', from, from + 60_000, 15_000, NOW);
    expect(rows).toHaveLength(4);
    const t = Math.ceil(from / 15_000) * 15_000;
    const expected = computeMetrics(targetProfile('checkout-staging'), t, BASELINE_MODE);
    expect(rows[0]).toEqual(METRIC_NAMES.map((m) => expected[m]));
  });

  it('prod targets had an error burst 3 days ago at 14:00 UTC; other targets none', () => {
    const incident = pastIncident('checkout-prod', NOW);
    expect(incident).toEqual({ startMs: Date.parse('2026-11-25T14:00:00Z'), endMs: Date.parse('2026-11-25T14:25:00Z') });
    expect(pastIncident('checkout-staging', NOW)).toBeNull();
    const during = historyOf('checkout-prod', Date.parse('2026-11-25T14:10:00Z'), Date.parse('2026-11-25T14:11:00Z'), 15_000, NOW);
    const before = historyOf('checkout-prod', Date.parse('2026-11-25T13:10:00Z'), Date.parse('2026-11-25T13:11:00Z'), 15_000, NOW);
    const errorRate = METRIC_NAMES.indexOf('error_rate');
    expect(Math.min(...during.map((r) => r[errorRate]))).toBeGreaterThan(0.05);
    expect(Math.max(...before.map((r) => r[errorRate]))).toBeLessThan(0.02);
  });

  it('stops at now', () => {
    expect(historyOf('checkout-prod', NOW - 30_000, NOW, 15_000, NOW)).toHaveLength(2);
  });
});
