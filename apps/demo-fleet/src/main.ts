import { readOptionsFromEnv } from './app/config';
import { DemoFleet, startDemoFleet } from './fleet';

function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({
    level,
    time: new Date().toISOString(),
    msg,
    ...fields,
  });
  if (level === 'error') console.error(line);
  else console.log(line);
}

/** First signal: close cleanly. Second signal: the operator is impatient, exit at once. */
function exitOnSignals(fleet: DemoFleet): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    log('info', 'demo-fleet stopping', { signal });
    fleet.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function main(): Promise<void> {
  const options = readOptionsFromEnv(process.env);
  const fleet = await startDemoFleet(options);
  log('info', 'demo-fleet listening', {
    host: fleet.host,
    port: fleet.port,
    url: fleet.url,
    signed_targets: Object.keys(options.secrets ?? {}).length,
  });
  exitOnSignals(fleet);
}

main().catch((error: unknown) => {
  log('error', 'demo-fleet failed to start', {
    error: error instanceof Error ? error.message : String(error),
  });
  process.exit(1);
});
