import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength, validateSync } from 'class-validator';
import { PASSWORD_MIN_LENGTH } from '@seqpulse/contracts';

export const PROCESS_ROLES = ['all', 'api', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['true', '1', 'yes'].includes(String(value).toLowerCase());
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toOptionalString = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : String(value));

/**
 * Every setting the product reads from the environment, typed and validated once at start-up.
 * docs/operations.md lists them; keep both in step.
 */
export class AppConfig {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** Interface to listen on; default 127.0.0.1 while the demo is on (its passwords are published), else 0.0.0.0. */
  @IsOptional()
  @IsString()
  HOST?: string;

  /** Absent: the embedded Postgres under SEQPULSE_DATA_DIR. */
  @IsOptional()
  @IsString()
  DATABASE_URL?: string;

  /**
   * `transaction` when DATABASE_URL points at a pooler in transaction mode (PgBouncer `pool_mode = transaction`):
   * no session state is relied on there — no startup options, no named prepared statements, advisory locks only
   * inside transactions — and LISTEN goes to DATABASE_SESSION_URL.
   */
  @IsIn(['session', 'transaction'])
  DATABASE_POOL_MODE: 'session' | 'transaction' = 'session';

  /**
   * A direct (session) connection to the primary for LISTEN; default DATABASE_URL. Needed with a transaction pooler.
   * May name several hosts, as DATABASE_URL (the Postgres nodes behind the poolers): LISTEN follows the primary.
   */
  @Transform(toOptionalString)
  @IsOptional()
  @IsString()
  DATABASE_SESSION_URL?: string;

  /**
   * A streaming replica (or a pooler in front of replicas) for the read-heavy routes: time series, the settled part
   * of the overview's sparklines, the audit log. A read goes there only when the replica has replayed everything
   * its range can hold (docs/operations.md, "Read replica"); otherwise, or when it fails, the primary answers.
   */
  @Transform(toOptionalString)
  @IsOptional()
  @IsString()
  DATABASE_READ_URL?: string;

  /** Connections of the main pool (TypeORM) per process. */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(500)
  DATABASE_POOL_MAX = 20;

  /** Connections of the time-series pool per API process (and of the read-replica pool when DATABASE_READ_URL is set). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_READ_POOL_MAX = 4;

  @IsString()
  SEQPULSE_DATA_DIR = '.data';

  /** Port of the embedded Postgres (ignored with DATABASE_URL); 0 picks a free one at each start. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  SEQPULSE_PG_PORT = 0;

  @Transform(toOptionalString)
  @IsOptional()
  @IsEmail()
  SEQPULSE_ADMIN_EMAIL?: string;

  @Transform(toOptionalString)
  @IsOptional()
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  SEQPULSE_ADMIN_PASSWORD?: string;

  /** Break-glass: the administrator SEQPULSE_ADMIN_EMAIL gets SEQPULSE_ADMIN_PASSWORD again (and is re-enabled) at start. */
  @Transform(toBool)
  @IsBoolean()
  SEQPULSE_ADMIN_RESET = false;

  /** Demo data, demo accounts and private targets. Default: true only on the embedded database (no DATABASE_URL). */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  SEQPULSE_DEMO?: boolean;

  /** `GET /metrics` without a credential for a scraper on the same machine (loopback peer, no proxy headers). */
  @Transform(toBool)
  @IsBoolean()
  SEQPULSE_METRICS_PUBLIC_LOOPBACK = false;

  /**
   * A worker-only process (SEQPULSE_ROLE=worker) serves `/metrics` and `/health/*` on this port; unset, it
   * serves no HTTP (API processes serve them on PORT).
   */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  SEQPULSE_WORKER_PORT?: number;

  /** Defaults to the value of SEQPULSE_DEMO: the demo fleet listens on 127.0.0.1. */
  @Transform(toBool)
  @IsOptional()
  @IsBoolean()
  SEQPULSE_ALLOW_PRIVATE_TARGETS?: boolean;

  @IsIn(PROCESS_ROLES)
  SEQPULSE_ROLE: ProcessRole = 'all';

  @Transform(toBool)
  @IsBoolean()
  SEQPULSE_SIGNUP = true;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(30 * 86400)
  SEQPULSE_SESSION_TTL_S = 12 * 3600;

  /** A session unused this long ends, whatever its absolute lifetime (SEQPULSE_SESSION_TTL_S). */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(30 * 86400)
  SEQPULSE_SESSION_IDLE_S = 2 * 3600;

  /** Requests per minute and credential on the realtime routes (/monitoring/enterprise/…), shared by every API process. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SEQPULSE_RATE_LIMIT_REALTIME = 600;

  /** Write requests (POST, PUT, PATCH, DELETE) per minute and credential, shared by every API process. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SEQPULSE_RATE_LIMIT_WRITES = 120;

  /** Open event streams per user (sessions together) or per API key. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SEQPULSE_STREAMS_PER_CREDENTIAL = 10;

  /** Open event streams per API process. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SEQPULSE_STREAMS_PER_PROCESS = 5_000;

  /** A stream whose reader has not taken pending bytes for this long is closed (slow or stalled reader). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600)
  SEQPULSE_STREAM_WRITE_TIMEOUT_S = 30;

  /** DNS servers for outbound calls (`host[:port]`, comma-separated); default: the system's resolv.conf servers. */
  @Transform(toOptionalString)
  @IsOptional()
  @IsString()
  SEQPULSE_DNS_SERVERS?: string;

  /** Timeout of one DNS resolution of an outbound call. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(30_000)
  SEQPULSE_DNS_TIMEOUT_MS = 2_000;

  /** Login/sign-up attempts per client address per minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SEQPULSE_LOGIN_RATE_LIMIT = 10;

  /** 32-byte key (base64 or hex) encrypting HMAC secrets at rest; generated into the data dir when absent. */
  @IsOptional()
  @IsString()
  SEQPULSE_SECRET_KEY?: string;

  /** The key being replaced, during a rotation of SEQPULSE_SECRET_KEY: secrets sealed with it are re-sealed at start. */
  @Transform(toOptionalString)
  @IsOptional()
  @IsString()
  SEQPULSE_SECRET_KEY_PREVIOUS?: string;

  /** Built dashboard to serve at `/`; default: next to the built API. */
  @IsOptional()
  @IsString()
  SEQPULSE_DASHBOARD_DIR?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Base URL of the demo fleet that demo projects point at. */
  @IsString()
  SEQPULSE_DEMO_FLEET_URL = 'http://127.0.0.1:4100';

  /** Base URL of the demo storefront, the demo service instrumented with @seqpulse/node. */
  @IsString()
  SEQPULSE_DEMO_STOREFRONT_URL = 'http://127.0.0.1:4101';

  /** JSON file `{target: secret}` shared with the demo fleet for HMAC. */
  @IsOptional()
  @IsString()
  SEQPULSE_DEMO_SECRETS_FILE?: string;

  /** Former name of SEQPULSE_RETENTION_RAW_DAYS, still honoured when that one is not set. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  SEQPULSE_RETENTION_DAYS?: number;

  /** Days of raw 15 s samples kept (default SEQPULSE_RETENTION_DAYS, else 30); older days are dropped whole. */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  SEQPULSE_RETENTION_RAW_DAYS?: number;

  /** Days of the 1-minute rollup kept (default 90, and never less than the raw samples'). */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  SEQPULSE_RETENTION_1M_DAYS?: number;

  /** Days of the 15-minute rollup kept (default 400, and never less than the 1-minute rollup's). */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  SEQPULSE_RETENTION_15M_DAYS?: number;

  /** Days of collection failures and finished-job history kept. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(365)
  SEQPULSE_FAILURE_RETENTION_DAYS = 7;

  /** Seconds between two alert evaluations in a worker process; 0 = no automatic evaluation (tests drive it). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(15)
  SEQPULSE_ALERT_EVAL_INTERVAL_S = 15;

  /**
   * Also evaluate the envs whose samples just arrived, as they arrive (on the store's NOTIFY), instead of waiting
   * for the next periodic pass; only where the periodic evaluation runs (interval > 0).
   */
  @Transform(toBool)
  @IsBoolean()
  SEQPULSE_ALERT_ON_SAMPLES = true;

  /** Seconds between two recomputations of the open deployment verdicts in a worker process; 0 = none (tests drive it). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60)
  SEQPULSE_VERDICT_INTERVAL_S = 15;

  /** Base URL of the dashboard as users reach it, for links in notifications; default http://localhost:PORT. */
  @IsOptional()
  @IsString()
  SEQPULSE_PUBLIC_URL?: string;

  /** Milliseconds between two passes over the notification outbox in a worker process; 0 = none. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  SEQPULSE_NOTIFY_INTERVAL_MS = 1_000;

  /** Timeout of one webhook/Slack delivery attempt. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(30_000)
  SEQPULSE_NOTIFY_TIMEOUT_MS = 5_000;

  /** Attempts per notification before it is marked failed. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  SEQPULSE_NOTIFY_MAX_ATTEMPTS = 10;

  /** Delay before the first retry; it doubles at each attempt, up to 15 minutes. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  SEQPULSE_NOTIFY_BACKOFF_S = 5;

  /** A running job whose lease is older than this is stuck: counted, then re-queued. */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(600)
  SEQPULSE_JOB_LEASE_S = 15;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(30_000)
  SEQPULSE_POLL_TIMEOUT_MS = 5_000;

  /** Polls in flight at once per worker process. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  SEQPULSE_POLL_CONCURRENCY = 1_000;

  /** Largest metrics answer accepted (bytes); larger is `too_large`. */
  @Transform(toInt)
  @IsInt()
  @Min(256)
  @Max(10_000_000)
  SEQPULSE_POLL_MAX_BYTES = 65_536;

  /** Days of access records (audit of the realtime routes) kept; older ones are deleted hourly. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3650)
  SEQPULSE_AUDIT_RETENTION_DAYS = 90;

  /**
   * Days kept per tier, each at least the finer tier's (a query falls back to the next coarser tier when a range
   * starts before a tier's cutoff, so a coarser tier must reach at least as far back).
   */
  get retention(): { raw: number; minute: number; quarter: number } {
    const raw = this.SEQPULSE_RETENTION_RAW_DAYS ?? this.SEQPULSE_RETENTION_DAYS ?? 30;
    const minute = this.SEQPULSE_RETENTION_1M_DAYS ?? Math.max(90, raw);
    const quarter = this.SEQPULSE_RETENTION_15M_DAYS ?? Math.max(400, minute);
    return { raw, minute, quarter };
  }

  get demo(): boolean {
    return this.SEQPULSE_DEMO ?? !this.DATABASE_URL;
  }

  /** Loopback and private networks; metadata, link-local and carrier-grade NAT stay refused whatever this says. */
  get allowPrivateTargets(): boolean {
    return this.SEQPULSE_ALLOW_PRIVATE_TARGETS ?? this.demo;
  }

  get listenHost(): string {
    return this.HOST ?? (this.demo ? '127.0.0.1' : '0.0.0.0');
  }
  /** Where users open the dashboard (no trailing slash). */
  get publicUrl(): string {
    return (this.SEQPULSE_PUBLIC_URL ?? `http://localhost:${this.PORT}`).replace(/\/+$/, '');
  }

  get runsApi(): boolean {
    return this.SEQPULSE_ROLE !== 'worker';
  }
  get runsWorker(): boolean {
    return this.SEQPULSE_ROLE !== 'api';
  }
}

export class ConfigError extends Error {}

/** The configuration is valid but starting would be unsafe (e.g. no administrator); the message says what to set. */
export class StartRefusedError extends Error {}

export const DEMO_ADMIN = { email: 'admin@seqpulse.local', password: 'seqpulse-admin-demo' };
export const DEMO_MEMBER = { email: 'demo@seqpulse.local', password: 'seqpulse-demo-2026' };

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const known = Object.keys(new AppConfig());
  const relevant = Object.fromEntries(
    Object.entries(env).filter(
      ([k, v]) => v !== undefined && (known.includes(k) || k.startsWith('SEQPULSE_') || k.startsWith('DATABASE_') || k === 'HOST'),
    ),
  );
  const config = plainToInstance(AppConfig, relevant, { exposeDefaultValues: true });
  // Decided once, before main.ts points DATABASE_URL at the embedded database.
  config.SEQPULSE_DEMO ??= !config.DATABASE_URL;
  if (config.SEQPULSE_DEMO && !config.SEQPULSE_ADMIN_EMAIL && !config.SEQPULSE_ADMIN_PASSWORD) {
    // The demo must be explorable at once; a real deployment sets its own administrator.
    config.SEQPULSE_ADMIN_EMAIL = DEMO_ADMIN.email;
    config.SEQPULSE_ADMIN_PASSWORD = DEMO_ADMIN.password;
  }
  const errors = validateSync(config, { whitelist: true, forbidUnknownValues: false });
  const lines = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`);
  if (errors.length === 0) lines.push(...retentionErrors(config.retention));
  if (lines.length > 0) throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  return config;
}

function retentionErrors(r: AppConfig['retention']): string[] {
  const errors: string[] = [];
  if (r.minute < r.raw) errors.push(`SEQPULSE_RETENTION_1M_DAYS: must be at least the raw retention (${r.raw} days)`);
  if (r.quarter < r.minute) errors.push(`SEQPULSE_RETENTION_15M_DAYS: must be at least the 1-minute retention (${r.minute} days)`);
  return errors;
}
