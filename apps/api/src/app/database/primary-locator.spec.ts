import { parseMultiHostUrl } from './primary-locator';

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
