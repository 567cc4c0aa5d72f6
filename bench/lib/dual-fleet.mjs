// A simulated fleet for bench/vs-prometheus.bench.mjs: target i serves the same five values per 15 s slot both as
// SeqPulse's JSON payload (`/t/<i>/seqpulse`) and as Prometheus text (`/t/<i>/metrics`), so both systems store
// identical samples. `POST /control?target=<i>&mode=normal|error|outage` scripts incidents (`error`: error_rate
// 0.05; `outage`: 503). Run as its own process: `node bench/lib/dual-fleet.mjs <port>`; prints `ready`.
import { createServer } from 'node:http';

const SLOT_MS = 15_000;
const modes = new Map();

/** A cheap deterministic hash of (target, slot, metric) in [0, 1). */
function noise(i, slot, k) {
  let h = (i * 374761393 + slot * 668265263 + k * 2147483647) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Gauge values at a realistic precision (what exporters of these figures print), identical within a slot. */
function values(i, nowMs) {
  const slot = Math.floor(nowMs / SLOT_MS);
  const daily = Math.sin((2 * Math.PI * (slot % 5760)) / 5760 + i);
  const v = {
    requests_per_sec: Math.round((40 + 10 * daily + 4 * noise(i, slot, 1)) * 100) / 100,
    latency_p95: Math.round((120 + 20 * daily + 30 * noise(i, slot, 2)) * 10) / 10,
    error_rate: Math.round((0.002 + 0.002 * noise(i, slot, 3)) * 10_000) / 10_000,
    cpu_usage: Math.round((0.35 + 0.1 * daily + 0.05 * noise(i, slot, 4)) * 1000) / 1000,
    memory_usage: Math.round((0.5 + 0.02 * noise(i, slot, 5)) * 1000) / 1000,
  };
  if (modes.get(i) === 'error') v.error_rate = 0.05;
  return v;
}

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
  const v = values(i, Date.now());
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
