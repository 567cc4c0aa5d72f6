import { Injectable, Logger, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Pool } from 'pg';
import { LabelsOf, MetricKeyOfKind, OPERATIONAL_METRICS, OperationalMetricKey } from './operational-metrics.catalogue';

type Instrument = Counter | Gauge | Histogram;

/** How often the event-loop lag is sampled (see the constructor). */
const EVENT_LOOP_LAG_SAMPLE_MS = 100;

/** Read at scrape time: an owner's figure that lives in the database or in its own state. */
type GaugeReader = () => number | Promise<number>;

/**
 * This process's operational metrics: one prom-client registry per application (tests run several apps in one
 * process, so never the library's global default registry), its instruments built from OPERATIONAL_METRICS.
 * Owners record through `count`/`observe`, or hand a reader for figures they compute on demand.
 */
@Injectable()
export class OperationalMetrics {
  private readonly logger = new Logger(OperationalMetrics.name);
  readonly registry = new Registry();
  private readonly instruments = new Map<OperationalMetricKey, Instrument>();
  private readonly readers = new Map<string, { key: MetricKeyOfKind<'gauge'>; labels: Record<string, string>; read: GaugeReader }>();
  private readonly pools = new Map<string, Pool>();

  constructor(@Optional() private readonly db?: DataSource) {
    // Node's own figures (CPU, memory, event-loop lag, handles) under the usual `process_`/`nodejs_` names. The lag
    // is sampled every 100 ms, not prom-client's 10 ms: each sample is a timer that wakes the event loop, and at
    // 10 ms those wake-ups cost ~9 ms of CPU a second, idle or not (~0.1 CPU-s per 1,000 polls on the
    // vs-Prometheus fleet, docs/performance.md, "Seventh round"); a stall of 100 ms or more is still seen.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_LAG_SAMPLE_MS });
    for (const [key, entry] of Object.entries(OPERATIONAL_METRICS) as [
      OperationalMetricKey,
      (typeof OPERATIONAL_METRICS)[OperationalMetricKey],
    ][]) {
      const common = { name: entry.name, help: entry.help, labelNames: [...entry.labels], registers: [this.registry] };
      const instrument =
        entry.kind === 'counter'
          ? new Counter(common)
          : entry.kind === 'histogram'
            ? new Histogram({ ...common, buckets: [...entry.buckets] })
            : new Gauge({ ...common, collect: () => this.collectGauge(key as MetricKeyOfKind<'gauge'>) });
      this.instruments.set(key, instrument);
    }
  }

  count<K extends MetricKeyOfKind<'counter'>>(key: K, labels: LabelsOf<K> = {}, by = 1): void {
    (this.instruments.get(key) as Counter).inc(labels as Record<string, string>, by);
  }

  observe<K extends MetricKeyOfKind<'histogram'>>(key: K, seconds: number, labels: LabelsOf<K> = {}): void {
    (this.instruments.get(key) as Histogram).observe(labels as Record<string, string>, seconds);
  }

  /** A gauge whose value its owner reads at scrape time (a count in the database, a size in memory). */
  gauge<K extends MetricKeyOfKind<'gauge'>>(key: K, read: GaugeReader, labels: LabelsOf<K> = {}): void {
    const id = `${key}${JSON.stringify(labels)}`;
    this.readers.set(id, { key, labels: labels as Record<string, string>, read });
  }

  /** A pg pool whose connections are reported as `seqpulse_db_pool_connections{pool=name}`. */
  observePool(name: string, pool: Pool): void {
    this.pools.set(name, pool);
  }

  /** The Prometheus text exposition of every instrument, gauges read now. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private async collectGauge(key: MetricKeyOfKind<'gauge'>): Promise<void> {
    const gauge = this.instruments.get(key) as Gauge;
    gauge.reset();
    // prom-client gives a gauge without labels a 0 at reset: a figure nobody could read (the database down, no
    // replica configured) must be absent from the scrape, not a plausible 0.
    if (OPERATIONAL_METRICS[key].labels.length === 0) gauge.remove();
    if (key === 'poolConnections') {
      // TypeORM's pool exists once the data source is initialised.
      const main = (this.db?.driver as { master?: Pool } | undefined)?.master;
      for (const [name, pool] of main ? [['main', main] as const, ...this.pools] : this.pools) {
        gauge.set({ pool: name, state: 'total' }, pool.totalCount);
        gauge.set({ pool: name, state: 'idle' }, pool.idleCount);
        gauge.set({ pool: name, state: 'waiting' }, pool.waitingCount);
      }
    }
    for (const reader of this.readers.values()) {
      if (reader.key !== key) continue;
      try {
        gauge.set(reader.labels, await reader.read());
      } catch (error) {
        // The database down during a scrape: the figure is left out, the scrape still answers.
        this.logger.debug({ metric: key, err: (error as Error).message }, 'Gauge not read');
      }
    }
  }
}
