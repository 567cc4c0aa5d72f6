import { parseMultiHostUrl, PrimaryLocator } from './primary-locator';

describe('parseMultiHostUrl (libpq multi-host DATABASE_URL)', () => {
  it('lists the hosts in order with default ports, and puts one back into the URL with its credentials and options', () => {
    const { hosts, urlFor } = parseMultiHostUrl('postgres://seq:p%40ss@db-a:6432,db-b,[fd00::7]:5433/seqpulse?sslmode=require');
    expect(hosts).toEqual([
      { host: 'db-a', port: 6432 },
      { host: 'db-b', port: 5432 },
      { host: 'fd00::7', port: 5433 },
    ]);
    expect(urlFor(hosts[1])).toBe('postgres://seq:p%40ss@db-b:5432/seqpulse?sslmode=require');
    expect(urlFor(hosts[2])).toBe('postgres://seq:p%40ss@[fd00::7]:5433/seqpulse?sslmode=require');
  });

  it('reads a single-host URL as one host', () => {
    const { hosts, urlFor } = parseMultiHostUrl('postgresql://localhost/db');
    expect(hosts).toEqual([{ host: 'localhost', port: 5432 }]);
    expect(urlFor(hosts[0])).toBe('postgresql://localhost:5432/db');
  });

  it('refuses what is not a URL', () => {
    expect(() => parseMultiHostUrl('host=db user=x')).toThrow('postgres://');
  });
});

describe('PrimaryLocator searches', () => {
  afterEach(() => jest.useRealTimers());

  it('shares one search among callers, and backs off after a search that found no writable host', async () => {
    jest.useFakeTimers();
    const locator = new PrimaryLocator('postgres://u@db-a:5432,db-b:5432/seqpulse');
    const probes: string[] = [];
    let writableHost = '';
    jest.spyOn(locator as unknown as { writable: (h: { host: string }) => Promise<boolean> }, 'writable').mockImplementation(async (h) => {
      probes.push(h.host);
      return h.host === writableHost;
    });

    const failed = Promise.all([1, 2, 3].map(() => locator.locate().catch((e: Error) => e.message)));
    await jest.advanceTimersByTimeAsync(100);
    expect(probes).toEqual(['db-a', 'db-b']); // one search for three callers
    locator.locate().catch(() => undefined); // during the backoff: the same failed search, no new probe
    await jest.advanceTimersByTimeAsync(100);
    expect(probes).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(100); // 250 ms after the first failure
    expect(await failed).toEqual(Array(3).fill('No writable database host among DATABASE_URL’s hosts'));

    // The next failure waits twice as long; then the promoted node is found and the backoff starts over.
    const second = locator.locate().catch(() => 'failed');
    await jest.advanceTimersByTimeAsync(400);
    expect(probes).toHaveLength(4);
    writableHost = 'db-b';
    locator.locate().catch(() => undefined);
    expect(probes).toHaveLength(4);
    await jest.advanceTimersByTimeAsync(100);
    expect(await second).toBe('failed');
    expect(await locator.locate()).toEqual({ host: 'db-b', port: 5432 });
    expect(locator.url).toBe('postgres://u@db-b:5432/seqpulse');
  });
});
