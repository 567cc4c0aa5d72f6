import { startLoadGenerator } from './load-generator';
import { startStorefront } from './storefront';

/** `node dist/apps/demo-fleet/storefront.js`: the SDK-instrumented demo service and its traffic. */
async function main(): Promise<void> {
  const port = Number(process.env['DEMO_STOREFRONT_PORT'] ?? 4101);
  const { url, server } = await startStorefront({ port, host: process.env['DEMO_STOREFRONT_HOST'] ?? '127.0.0.1' });
  const load = startLoadGenerator(url);
  console.log(
    JSON.stringify({
      level: 'info',
      time: new Date().toISOString(),
      msg: 'demo storefront listening',
      url,
      metrics: `${url}/seqpulse-metrics`,
    }),
  );
  const stop = () => {
    load.stop();
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.once('SIGTERM', stop).once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(JSON.stringify({ level: 'error', msg: 'demo storefront failed to start', error: String(error) }));
  process.exit(1);
});
