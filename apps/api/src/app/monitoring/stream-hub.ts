import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Client } from 'pg';
import { ALERTS_NOTIFY_CHANNEL, DEPLOYMENTS_NOTIFY_CHANNEL, METRIC_NAMES, STREAM_HEARTBEAT_S } from '@seqpulse/contracts';
import type { AlertStreamNotice, DeploymentStreamNotice, MetricValues, Phase, SampleEvent } from '@seqpulse/contracts';
import { AppConfig } from '../config/app-config';
import { createListenClient } from '../database/connections';
import { TaskScheduler } from '../scheduler/task-scheduler';
import { isoSeconds } from '../common/time';
import { OperationalMetrics } from '../operational-metrics/operational-metrics';
import { SAMPLES_CHANNEL, SampleNotice } from '../samples/samples.store';

/** Channel of alert transitions, payload `AlertStreamNotice` `{"project_id", "alert"}` (written by the alerts module). */
const ALERTS_CHANNEL = ALERTS_NOTIFY_CHANNEL;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;
/** A quiet LISTEN connection is probed this often, so a half-open TCP connection is noticed. */
const PROBE_EVERY_MS = 30_000;
/** A client that cannot keep up (more than this unsent) is disconnected rather than buffered forever. */
const MAX_UNSENT_BYTES = 1_000_000;

/**
 * An in-process consumer of the hub's notifications (e.g. long polls waiting for a verdict). Called with the
 * parsed payload of every notification on its channel, and with `null` after the LISTEN connection was
 * re-established (notifications may have been missed: re-read the state).
 */
export type NoticeListener = (payload: unknown) => void;

/** One open stream: where to write, and what it wants. */
export interface StreamSubscriber {
  projectId: string;
  env: string | null;
  phase: Phase | null;
  /** Writes raw SSE text; returns the bytes still unsent (for slow-client detection). */
  write(chunk: string): number;
  /** Ends the stream (server side). */
  end(): void;
}

/**
 * The live-stream fan-out of one process: ONE dedicated Postgres connection LISTENs on the samples and
 * alerts channels (so samples written by any worker reach every process), and each notification is
 * serialised once per event and written to the subscribers of that project whose env/phase filters match.
 * If the LISTEN connection is lost it reconnects with exponential backoff, and the open streams are ended so
 * their clients reconnect and refill the gap from the timeseries route instead of silently missing samples.
 */
@Injectable()
export class StreamHub implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(StreamHub.name);
  private readonly byProject = new Map<string, Set<StreamSubscriber>>();
  private readonly listeners = new Map<string, Set<NoticeListener>>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private reconnectTimer?: NodeJS.Timeout;
  private attempt = 0;
  private stopped = false;
  /** The LISTEN session was lost: its next connection counts as a reconnect. */
  private wasLost = false;
  /** Heartbeat period of each stream (tests shorten it). */
  heartbeatMs = STREAM_HEARTBEAT_S * 1000;
  /** Resolves when the LISTEN connection is up (tests wait on it). */
  ready: Promise<void>;
  private markReady!: () => void;

  constructor(
    private readonly config: AppConfig,
    private readonly tasks: TaskScheduler,
    private readonly metrics: OperationalMetrics,
  ) {
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  onModuleInit(): void {
    this.tasks.register({
      name: 'stream-listener-probe',
      everyMs: PROBE_EVERY_MS,
      runsIn: 'every',
      run: () => this.probe(),
    });
  }

  /** A quiet connection may be half-open: a round trip proves it, and a failure reconnects. */
  private async probe(): Promise<void> {
    const client = this.client;
    if (client) await client.query('SELECT 1').catch((err) => this.lost(client, err));
  }

  /** Every process listens: API processes for the live streams, workers for the alert and verdict evaluations. */
  onApplicationBootstrap(): void {
    void this.connect();
  }

  /** Ends every open stream so the HTTP server can close. */
  beforeApplicationShutdown(): void {
    this.stopped = true;
    this.endAll();
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  get listening(): boolean {
    return this.client !== null;
  }

  subscriberCount(): number {
    let n = 0;
    for (const set of this.byProject.values()) n += set.size;
    return n;
  }

  /** Adds a subscriber; returns its unsubscribe function (idempotent). */
  subscribe(subscriber: StreamSubscriber): () => void {
    let set = this.byProject.get(subscriber.projectId);
    if (!set) this.byProject.set(subscriber.projectId, (set = new Set()));
    set.add(subscriber);
    return () => {
      const current = this.byProject.get(subscriber.projectId);
      if (!current) return;
      current.delete(subscriber);
      if (current.size === 0) this.byProject.delete(subscriber.projectId);
    };
  }

  /** Adds an in-process listener of one channel; returns its removal function. */
  listen(channel: string, listener: NoticeListener): () => void {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    set.add(listener);
    return () => void this.listeners.get(channel)?.delete(listener);
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.connecting) return this.connecting ?? undefined;
    this.connecting = (async () => {
      const client = createListenClient(this.config);
      client.on('error', (err) => this.lost(client, err));
      client.on('end', () => this.lost(client));
      client.on('notification', (n) => this.dispatch(n.channel, n.payload));
      try {
        await client.connect();
        await client.query(`LISTEN ${SAMPLES_CHANNEL}`);
        await client.query(`LISTEN ${ALERTS_CHANNEL}`);
        await client.query(`LISTEN ${DEPLOYMENTS_NOTIFY_CHANNEL}`);
      } catch (err) {
        client.removeAllListeners('end');
        client.on('error', () => undefined);
        await client.end().catch(() => undefined);
        throw err;
      }
      if (this.stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      this.attempt = 0;
      if (this.wasLost) this.metrics.count('databaseReconnects', { session: 'listen' });
      this.wasLost = false;
      this.markReady();
      this.logger.log('Listening for samples, alerts and deployments');
      for (const set of this.listeners.values()) for (const listener of [...set]) listener(null);
    })()
      .catch((err) => {
        this.logger.warn({ err, attempt: this.attempt }, 'LISTEN connection failed; retrying');
        this.scheduleReconnect();
      })
      .finally(() => {
        this.connecting = null;
      });
    return this.connecting;
  }

  private lost(client: Client, err?: Error): void {
    if (this.client !== client) return;
    this.client = null;
    this.wasLost = true;
    client.removeAllListeners('notification');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn({ err }, 'LISTEN connection lost; ending open streams and reconnecting');
    this.ready = new Promise((resolve) => (this.markReady = resolve));
    this.endAll();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.attempt++) * (0.75 + Math.random() * 0.5);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => void this.connect(), delay);
    this.reconnectTimer.unref();
  }

  private endAll(): void {
    for (const set of [...this.byProject.values()]) for (const s of [...set]) s.end();
  }

  /** Public for the unit tests: routes one notification payload to the matching subscribers. */
  dispatch(channel: string, payload: string | undefined): void {
    const listeners = this.listeners.get(channel);
    if (!payload || (this.byProject.size === 0 && !listeners?.size)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      this.logger.warn({ channel }, 'Unparsable notification ignored');
      return;
    }
    if (listeners) for (const listener of [...listeners]) listener(parsed);
    if (channel === SAMPLES_CHANNEL && Array.isArray(parsed)) {
      for (const notice of parsed as SampleNotice[]) this.dispatchSample(notice);
    } else if (channel === ALERTS_CHANNEL && parsed && typeof parsed === 'object') {
      const { project_id, alert } = parsed as Partial<AlertStreamNotice>;
      if (typeof project_id !== 'string' || !alert || typeof alert !== 'object') return;
      this.send(project_id, alert.env ?? null, null, formatEvent('alert', alert));
    } else if (channel === DEPLOYMENTS_NOTIFY_CHANNEL && parsed && typeof parsed === 'object') {
      const { project_id, ...event } = parsed as DeploymentStreamNotice;
      if (typeof project_id !== 'string' || typeof event.deployment_id !== 'string') return;
      this.send(project_id, event.env ?? null, null, formatEvent('deployment', event));
    }
  }

  private dispatchSample(notice: SampleNotice): void {
    if (!Array.isArray(notice) || notice.length < 4 + METRIC_NAMES.length) return;
    const [projectId, env, phase, collectedAtMs] = notice;
    if (!this.byProject.has(projectId)) return;
    const values = {} as MetricValues;
    METRIC_NAMES.forEach((m, i) => (values[m] = notice[4 + i] as number));
    const event: SampleEvent = { t: isoSeconds(new Date(collectedAtMs)), env, phase, values };
    this.send(projectId, env, phase, formatEvent('sample', event));
  }

  private send(projectId: string, env: string | null, phase: Phase | null, chunk: string): void {
    const set = this.byProject.get(projectId);
    if (!set) return;
    for (const s of [...set]) {
      if (s.env && env && s.env !== env) continue;
      if (s.phase && phase && s.phase !== phase) continue;
      if (s.write(chunk) > MAX_UNSENT_BYTES) {
        this.logger.warn({ projectId }, 'Stream client too slow; disconnecting it');
        s.end();
      }
    }
  }
}

export function formatEvent(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
