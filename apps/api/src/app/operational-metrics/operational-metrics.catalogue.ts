/**
 * Every operational metric a SeqPulse process exposes at `GET /metrics` (Prometheus text format), in one place:
 * an instrument is one entry here plus the line in its owner that records it. docs/operations.md lists them.
 * Names follow Prometheus' conventions (base units, `_total` for counters).
 */
export const OPERATIONAL_METRICS = {
  polls: {
    kind: 'counter',
    name: 'seqpulse_polls_total',
    help: 'Polls of customer metrics endpoints by outcome: ok or the failure reason (timeout, http_status, invalid_payload, …).',
    labels: ['outcome'],
  },
  pollLag: {
    kind: 'histogram',
    name: 'seqpulse_poll_schedule_lag_seconds',
    help: 'How late after its 15 s slot a poll started.',
    labels: [],
    // The claim tick is 100 ms, so most polls land under 0.1 s; a saturated machine measured up to ~1 s.
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  pollDuration: {
    kind: 'histogram',
    name: 'seqpulse_poll_duration_seconds',
    help: 'Round trip of a poll, request to parsed answer.',
    labels: [],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  },
  samplesWritten: {
    kind: 'counter',
    name: 'seqpulse_samples_written_total',
    help: 'Samples stored in the time-series table by this process.',
    labels: [],
  },
  samplesDropped: {
    kind: 'counter',
    name: 'seqpulse_samples_dropped_total',
    help: 'Polled samples dropped because the database stayed unavailable longer than the write buffer lasts.',
    labels: [],
  },
  storeWriteFailures: {
    kind: 'counter',
    name: 'seqpulse_store_write_failures_total',
    help: 'Batches of poll results that could not be written and were kept for the next flush.',
    labels: [],
  },
  taskDuration: {
    kind: 'histogram',
    name: 'seqpulse_task_duration_seconds',
    help: 'Duration of each periodic task run (alert-evaluation is the alert evaluation time).',
    labels: ['task'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  taskFailures: {
    kind: 'counter',
    name: 'seqpulse_task_failures_total',
    help: 'Periodic task runs that failed (retried at the next interval).',
    labels: ['task'],
  },
  rollupBacklog: {
    kind: 'gauge',
    name: 'seqpulse_rollup_pending_minutes',
    help: 'Minutes of samples waiting for the rollup catch-up (read at scrape time).',
    labels: [],
  },
  outboxBacklog: {
    kind: 'gauge',
    name: 'seqpulse_notification_outbox_pending',
    help: 'Notification deliveries waiting in the outbox (read at scrape time).',
    labels: [],
  },
  openStreams: {
    kind: 'gauge',
    name: 'seqpulse_open_streams',
    help: 'Live streams (SSE) this process serves.',
    labels: [],
  },
  pollsInFlight: {
    kind: 'gauge',
    name: 'seqpulse_polls_in_flight',
    help: 'Polls this process is waiting on.',
    labels: [],
  },
  poolConnections: {
    kind: 'gauge',
    name: 'seqpulse_db_pool_connections',
    help: 'Connections of each database pool of this process by state (total, idle, waiting = queued requests).',
    labels: ['pool', 'state'],
  },
  databaseReconnects: {
    kind: 'counter',
    name: 'seqpulse_db_reconnects_total',
    help: 'Re-established dedicated database sessions (listeners) after a lost connection, e.g. a failover.',
    labels: ['session'],
  },
  replicaLag: {
    kind: 'gauge',
    name: 'seqpulse_db_replica_lag_seconds',
    help: 'How far the read replica (DATABASE_READ_URL) is behind: now minus the last moment it holds everything from.',
    labels: [],
  },
  replicaReads: {
    kind: 'counter',
    name: 'seqpulse_db_reads_total',
    help: 'Read-heavy reads by route and where they ran: replica, primary (range not yet replayed), primary_after_replica_error.',
    labels: ['route', 'target'],
  },
} as const;

export type OperationalMetricKey = keyof typeof OPERATIONAL_METRICS;
type Entry<K extends OperationalMetricKey> = (typeof OPERATIONAL_METRICS)[K];
export type MetricKeyOfKind<Kind extends string> = {
  [K in OperationalMetricKey]: Entry<K>['kind'] extends Kind ? K : never;
}[OperationalMetricKey];
export type LabelsOf<K extends OperationalMetricKey> = Partial<Record<Entry<K>['labels'][number], string>>;
