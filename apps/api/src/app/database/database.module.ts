import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { primaryLocator } from './connections';
import { dataSourceOptions } from './database.options';
import type { PrimaryLocator } from './primary-locator';

async function locateWithRetry(locator: PrimaryLocator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await locator.locate();
      return;
    } catch (error) {
      if (attempt >= 30) throw error;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const locator = primaryLocator(config);
        // A multi-host DATABASE_URL: start on the writable node (the search retries while none answers yet).
        if (locator) await locateWithRetry(locator);
        return {
          ...dataSourceOptions(locator?.url ?? (config.DATABASE_URL as string), config.DATABASE_POOL_MAX, locator?.clientClass()),
          // Postgres restarting must not kill the process: the pool reconnects on the next query.
          retryAttempts: 30,
          retryDelay: 1000,
        };
      },
    }),
  ],
})
export class DatabaseModule {}
