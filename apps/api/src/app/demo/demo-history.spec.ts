import { pastDeployments } from './demo-history';

const DAY = 86_400_000;
const END = Date.parse('2026-11-28T12:00:00Z');

describe('demo history deployments', () => {
  it('two successful deployments a day per env, and a failed one on prod just before the past incident', () => {
    const prod = pastDeployments({ projectId: 'p', env: 'prod', target: 'checkout-prod' }, END - 7 * DAY, END);
    const staging = pastDeployments({ projectId: 'p', env: 'staging', target: 'checkout-staging' }, END - 7 * DAY, END);
    expect(staging.every((d) => d.result === 'success')).toBe(true);
    expect(staging).toHaveLength(14);
    const failed = prod.filter((d) => d.result === 'failed');
    expect(failed.map((d) => d.startedAt.toISOString())).toEqual(['2026-11-25T13:45:00.000Z']);
    expect(new Set(prod.map((d) => d.key)).size).toBe(prod.length); // idempotent keys
    expect(prod.every((d) => d.startedAt.getTime() >= END - 7 * DAY && d.finishedAt.getTime() <= END)).toBe(true);
  });
});
