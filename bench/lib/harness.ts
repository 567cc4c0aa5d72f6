/**
 * The shared benchmark harness (`harness.mjs`, an ES module) for the TypeScript benchmarks run through
 * ts-node (CommonJS), loaded with Node's require of ES modules, with the types they use.
 */
export interface BenchHarness {
  /** A throw-away embedded Postgres (or BENCH_DATABASE_URL): `url` is its `postgres` database. */
  startScratchPostgres(prefix?: string): Promise<{ url: string; stop: () => Promise<void> }>;
  /** A new, empty database on that server. */
  freshDatabase(serverUrl: string, prefix: string): Promise<string>;
}

export const harness: BenchHarness = require('./harness.mjs');
