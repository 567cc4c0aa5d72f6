import type { Response } from 'express';
import { ConcurrencyShares } from './concurrency-shares';

function response(): Response & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  return { headers, setHeader: (name: string, value: string) => (headers[name] = value) } as never;
}

describe('ConcurrencyShares', () => {
  it('lets one credential hold at most its share; its other requests wait their turn while others run', async () => {
    const shares = new ConcurrencyShares();
    const releases: (() => void)[] = [];
    const started: string[] = [];
    const job = (name: string) => () =>
      new Promise<string>((resolve) => {
        started.push(name);
        releases.push(() => resolve(name));
      });
    const a1 = shares.run('ts', 'a', 2, response(), job('a1'));
    const a2 = shares.run('ts', 'a', 2, response(), job('a2'));
    const a3 = shares.run('ts', 'a', 2, response(), job('a3'));
    const b1 = shares.run('ts', 'b', 2, response(), job('b1'));
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a1', 'a2', 'b1']);
    expect(shares.inUse('ts', 'a')).toBe(2);
    releases[0]();
    await a1;
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a1', 'a2', 'b1', 'a3']);
    releases.slice(1).forEach((release) => release());
    expect(await Promise.all([a2, a3, b1])).toEqual(['a2', 'a3', 'b1']);
    expect(shares.inUse('ts', 'a')).toBe(0);
  });

  it('refuses with 429 rate_limited and Retry-After once too many requests of one credential wait', async () => {
    const shares = new ConcurrencyShares();
    const never = () => new Promise<void>(() => undefined);
    for (let i = 0; i < 1 + 16; i++) void shares.run('ts', 'a', 1, response(), never);
    const res = response();
    await expect(shares.run('ts', 'a', 1, res, never)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(res.headers['Retry-After']).toBe('1');
  });
});
