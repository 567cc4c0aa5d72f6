import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './database.options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        ...dataSourceOptions(config.DATABASE_URL as string),
        // Postgres restarting must not kill the process: the pool reconnects on the next query.
        retryAttempts: 30,
        retryDelay: 1000,
      }),
    }),
  ],
})
export class DatabaseModule {}
