/**
 * The shared benchmark harness (`harness.mjs`, an ES module) for the TypeScript benchmarks run through
 * ts-node (CommonJS), loaded with Node's require of ES modules, with the types they use.
 */
export interface BenchHarness {
  /** A throw-away embedded Postgres (or BENCH_DATABASE_URL): `url` is its `postgres` database. */
  startScratchPostgres(prefix?: string): Promise<{ url: string; stop: () => Promise<void> }>;
  /** A new, empty database on that server. */
  freshDatabase(serverUrl: string, prefix: string): Promise<string>;
  /** The p-th percentile (0–100) of some values. */
  percentile(values: number[], p: number): number;
  /** Milliseconds as `12.3 ms`. */
  fmt(ms: number): string;
}

export const harness: BenchHarness = require('./harness.mjs');
