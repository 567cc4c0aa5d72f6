import 'reflect-metadata';
import { AppConfig, ConfigError, loadConfig, StartRefusedError } from './app/config/app-config';
import { bootLogger } from './app/logging';
import { DataDirInUseError, EmbeddedDatabase, startEmbeddedPostgres } from './app/database/embedded-postgres';
import { createApp } from './app/create-app';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = bootLogger(config.LOG_LEVEL);
  // A stray promise rejection is a bug to see in the logs, not a reason to stop monitoring every customer.
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'Unhandled promise rejection'));
  let embedded: EmbeddedDatabase | undefined;
  if (!config.DATABASE_URL) {
    try {
      embedded = await startEmbeddedPostgres({
        dataDir: config.SEQPULSE_DATA_DIR,
        port: config.SEQPULSE_PG_PORT || (await freePort()),
        log,
      });
    } catch (error) {
      if (error instanceof DataDirInUseError) {
        log.fatal(error.message);
        process.stderr.write(`${error.message}\n`);
        process.exit(3);
      }
      throw error;
    }
    config.DATABASE_URL = embedded.url;
  }
  let app;
  try {
    app = await createApp(config);
  } catch (error) {
    if (error instanceof StartRefusedError) {
      log.fatal(error.message);
      process.stderr.write(`${error.message}\n`);
      await embedded?.stop().catch(() => undefined);
      process.exit(2);
    }
    throw error;
  }
  const stopEmbedded = async () => embedded?.stop().catch((e) => log.error({ err: e }, 'Embedded Postgres did not stop cleanly'));
  process.once('beforeExit', stopEmbedded);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      log.info({ signal }, 'Shutting down');
      await app.close().catch(() => undefined);
      await stopEmbedded();
      process.exit(0);
    });
  }
  if (config.runsApi) {
    await app.listen(config.PORT, config.listenHost);
    log.info(
      { port: config.PORT, host: config.listenHost, role: config.SEQPULSE_ROLE, demo: config.demo },
      `SeqPulse Realtime is up on http://${config.listenHost === '0.0.0.0' ? 'localhost' : config.listenHost}:${config.PORT}/`,
    );
  } else if (config.SEQPULSE_WORKER_PORT !== undefined) {
    // Only /metrics and /health/* answer here (createApp); orchestrators probe and scrape workers too.
    await app.listen(config.SEQPULSE_WORKER_PORT, config.listenHost);
    log.info({ role: config.SEQPULSE_ROLE, port: config.SEQPULSE_WORKER_PORT }, 'SeqPulse Realtime worker is up (metrics and health)');
  } else {
    log.info({ role: config.SEQPULSE_ROLE }, 'SeqPulse Realtime worker is up');
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

main().catch((error) => {
  process.stderr.write(`SeqPulse failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
