import * as pg from 'pg';
import { DataSourceOptions } from 'typeorm';
import { ALL_ENTITIES } from './entities';
import { ALL_MIGRATIONS } from './migrations';
import { POOL_IDLE_TIMEOUT_MS } from './connections';

/** One place that knows how we talk to Postgres; the migrations are run explicitly (see runMigrations). */
/** `poolMax`: DATABASE_POOL_MAX in the product; the benchmarks that build their own data source keep its default. */
export function dataSourceOptions(databaseUrl: string, poolMax = 20, client?: typeof pg.Client): DataSourceOptions {
  return {
    type: 'postgres',
    driver: pg, // explicit, so the bundler keeps `pg` (stack-notes P6)
    url: databaseUrl,
    entities: ALL_ENTITIES,
    migrations: ALL_MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    extra: {
      max: poolMax,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: POOL_IDLE_TIMEOUT_MS,
      application_name: 'seqpulse',
      ...(client ? { Client: client } : {}),
    },
  };
}
