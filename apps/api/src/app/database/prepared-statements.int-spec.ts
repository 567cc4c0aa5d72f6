import { Pool, PoolClient } from 'pg';
import { loadConfig } from '../config/app-config';
import { createTestDatabase } from '../../testing/test-app';
import { PreparedStatements } from './prepared-statements';

/** `together`: several statements in one round trip, as the collector's flush and the evaluation of arriving samples use it. */
describe('PreparedStatements.together', () => {
  let pool: Pool;
  const statements = (mode: 'session' | 'transaction') =>
    new PreparedStatements(loadConfig({ SEQPULSE_DEMO: 'false', DATABASE_URL: 'postgres://unused/db', DATABASE_POOL_MODE: mode }));
  /** A connection whose round trips are counted. */
  async function counted(): Promise<{ client: PoolClient; trips: () => number }> {
    const client = await pool.connect();
    let trips = 0;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => (trips++, query(...args));
    return { client, trips: () => trips };
  }

  beforeAll(async () => {
    pool = new Pool({ connectionString: await createTestDatabase(), max: 2 });
    await pool.query(`CREATE TABLE kept (id int PRIMARY KEY, label text, at timestamptz, ok boolean, note jsonb)`);
  });
  afterAll(() => pool.end());
  beforeEach(() => pool.query('TRUNCATE kept'));

  const INSERT = {
    sql: `INSERT INTO kept SELECT * FROM unnest($1::int[], $2::text[], $3::timestamptz[], $4::boolean[], $5::jsonb[])
            AS u(id, label, at, ok, note) RETURNING id`,
  };
  const awkward = ["it's", 'back\\slash', '"quoted"', 'comma,brace}', null];

  it('runs raw and parameterised statements in one round trip, with the parameters as the protocol would send them', async () => {
    const s = statements('session');
    const { client, trips } = await counted();
    try {
      const at = new Date('2026-12-01T20:00:00.123Z');
      const params = [
        [1, 2, 3, 4, 5],
        awkward,
        [at, at, null, at, at],
        [true, false, null, true, false],
        awkward.map((a) => JSON.stringify({ a })),
      ];
      const [begin, inserted, read] = await s.together(client, [
        'SELECT 41 + 1 AS answer',
        { sql: INSERT.sql, params },
        { sql: 'SELECT label, at, ok, note FROM kept WHERE id = ANY ($1::int[]) ORDER BY id', params: [[1, 2, 3, 4, 5]] },
      ]);
      expect(begin).toEqual([{ answer: 42 }]);
      expect(inserted).toHaveLength(5);
      expect(trips()).toBe(3); // the first time: each statement prepared on the connection, then the one query

      const same = await s.together(client, [
        { sql: 'SELECT label, at, ok, note FROM kept WHERE id = ANY ($1::int[]) ORDER BY id', params: [[1, 2, 3, 4, 5]] },
      ]);
      expect(trips()).toBe(4); // prepared already: one round trip
      expect(same[0]).toEqual(read);
      expect(read).toEqual([
        { label: "it's", at, ok: true, note: { a: "it's" } },
        { label: 'back\\slash', at, ok: false, note: { a: 'back\\slash' } },
        { label: '"quoted"', at: null, ok: null, note: { a: '"quoted"' } },
        { label: 'comma,brace}', at, ok: true, note: { a: 'comma,brace}' } },
        { label: null, at, ok: false, note: { a: null } },
      ]);
      // the same rows as the same parameters sent by the protocol give
      await client.query(INSERT.sql, [[11, 12, 13, 14, 15], ...params.slice(1)]);
      const viaProtocol = await client.query('SELECT label, at, ok, note FROM kept WHERE id > 10 ORDER BY id');
      expect(viaProtocol.rows).toEqual(read);
    } finally {
      client.release();
    }
  });

  it('is one transaction: a failing statement undoes the ones before it in the same round trip', async () => {
    const s = statements('session');
    const client = await pool.connect();
    try {
      await expect(
        s.together(client, [
          { sql: INSERT.sql, params: [[7], ['a'], [new Date()], [true], ['{}']] },
          { sql: 'SELECT 1 / $1::int AS boom', params: [0] },
        ]),
      ).rejects.toThrow(/division by zero/);
      expect((await client.query('SELECT count(*)::int AS n FROM kept')).rows[0].n).toBe(0);
      // the connection is usable afterwards, its statements still prepared
      const [rows] = await s.together(client, [{ sql: INSERT.sql, params: [[8], ['b'], [new Date()], [false], ['{}']] }]);
      expect(rows).toEqual([{ id: 8 }]);
    } finally {
      client.release();
    }
  });

  it('behind a transaction pooler, runs the statements one after the other (nothing prepared at SQL level)', async () => {
    const s = statements('transaction');
    const { client, trips } = await counted();
    try {
      const [first, second] = await s.together(client, ['SELECT 1 AS one', { sql: 'SELECT $1::int + 1 AS two', params: [1] }]);
      expect([first, second]).toEqual([[{ one: 1 }], [{ two: 2 }]]);
      expect(trips()).toBe(2);
      const sqlLevel = await client.query(
        `SELECT count(*)::int AS n FROM pg_prepared_statements WHERE from_sql AND statement LIKE '%$1::int + 1%'`,
      );
      expect(sqlLevel.rows[0].n).toBe(0);
    } finally {
      client.release();
    }
  });
});
