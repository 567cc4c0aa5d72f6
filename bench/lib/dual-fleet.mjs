// A simulated fleet for bench/vs-prometheus.bench.mjs: target i serves the same five values per 15 s slot both as
// SeqPulse's JSON payload (`/t/<i>/seqpulse`) and as Prometheus text (`/t/<i>/metrics`), so both systems store
// identical samples. `POST /control?target=<i>&mode=normal|error|outage` scripts incidents (`error`: error_rate
// 0.05; `outage`: 503). Run as its own process: `node bench/lib/dual-fleet.mjs <port>`; prints `ready`.
import { createServer } from 'node:http';
import { fleetValues } from './fleet-values.mjs';

const modes = new Map();

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://fleet');
  if (req.method === 'POST' && url.pathname === '/control') {
    modes.set(Number(url.searchParams.get('target')), url.searchParams.get('mode'));
    return res.end('ok');
  }
  const match = /^\/t\/(\d+)\/(seqpulse|metrics)$/.exec(url.pathname);
  if (!match) {
    res.statusCode = 404;
    return res.end();
  }
  const i = Number(match[1]);
  if (modes.get(i) === 'outage') {
    res.statusCode = 503;
    return res.end();
  }
  const v = fleetValues(i, Date.now(), modes.get(i));
  if (match[2] === 'seqpulse') {
    res.setHeader('content-type', 'application/json');
    return res.end(JSON.stringify({ metrics: v }));
  }
  res.setHeader('content-type', 'text/plain; version=0.0.4');
  res.end(
    Object.entries(v)
      .map(([name, value]) => `# TYPE ${name} gauge\n${name} ${value}\n`)
      .join(''),
  );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.stdout.write('ready\n'));
