import { canonicalPath, HeaderSource } from '@seqpulse/hmac';
import { performance } from 'node:perf_hooks';
import { ResolvedOptions, resolveOptions, SeqPulseOptions } from './options';
import { PollVerifier } from './poll-verifier';
import { RequestWindow } from './request-window';
import { ResourceUsage } from './resources/resource-usage';

/** The contract's payload: the five metrics in their fixed units. */
export interface MetricsPayload {
  metrics: {
    requests_per_sec: number;
    latency_p95: number;
    error_rate: number;
    cpu_usage: number;
    memory_usage: number;
  };
}

/** What an adapter sends back for a request to the metrics endpoint. */
export interface EndpointResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface SeqPulseInternals {
  /** Monotonic milliseconds; tests pass their own clock. */
  now?: () => number;
  /** Root of /proc and /sys/fs/cgroup; tests pass fixtures. */
  fsRoot?: string;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
/** A refusal says nothing about why: the reason goes to `onRejected` only. */
const UNAUTHORIZED: EndpointResponse = { status: 401, headers: JSON_HEADERS, body: '{"error":"unauthorized"}' };

/**
 * The one core every adapter uses: it records finished requests into the window and answers the metrics
 * endpoint. Adapters only translate their framework's request/response into these calls.
 */
export class SeqPulse {
  readonly options: ResolvedOptions;
  private readonly window: RequestWindow;
  private readonly resources: ResourceUsage;
  private readonly verifier: PollVerifier | null;
  private readonly endpointPath: string;
  readonly now: () => number;

  constructor(options: SeqPulseOptions = {}, internals: SeqPulseInternals = {}) {
    this.options = resolveOptions(options);
    this.now = internals.now ?? (() => performance.now());
    this.window = new RequestWindow(this.options.windowMs, this.now);
    this.resources = new ResourceUsage({ windowMs: this.options.windowMs, now: this.now, fsRoot: internals.fsRoot });
    this.endpointPath = canonicalPath(this.options.endpoint);
    this.verifier = this.options.hmacSecrets.length
      ? new PollVerifier({
          secrets: this.options.hmacSecrets,
          maxSkewPastMs: this.options.maxSkewPastMs,
          maxSkewFutureMs: this.options.maxSkewFutureMs,
        })
      : null;
  }

  /** True for a request to the metrics endpoint (any method): it is answered, never counted. */
  isEndpoint(url: string | undefined): boolean {
    if (!url) return false;
    if (url === this.endpointPath) return true;
    // Fast path: an origin-form target that does not start with the endpoint cannot be it.
    if (url.charCodeAt(0) === 0x2f /* '/' */ && !url.startsWith(this.endpointPath)) return false;
    return canonicalPath(url) === this.endpointPath;
  }

  /** Records one finished request. `startedAt` is a value of `seqpulse.now()` taken when it arrived. */
  record(startedAt: number, statusCode: number): void {
    const end = this.now();
    this.window.record(end - startedAt, this.options.isError(statusCode), end);
  }

  /** Records one finished request whose duration the framework measured (milliseconds). */
  recordDuration(durationMs: number, statusCode: number): void {
    this.window.record(durationMs, this.options.isError(statusCode));
  }

  /** The five metrics now. */
  collect(): MetricsPayload {
    const stats = this.window.stats();
    return {
      metrics: {
        requests_per_sec: round(stats.requestsPerSec, 4),
        latency_p95: round(stats.latencyP95, 3),
        error_rate: round(stats.errorRate, 6),
        cpu_usage: round(this.resources.cpuUsage(), 4),
        memory_usage: round(this.resources.memoryUsage(), 4),
      },
    };
  }

  /** Answers a request to the endpoint: 405 for other methods, 401 for a refused signature, else 200. */
  respond(method: string | undefined, url: string, headers: HeaderSource): EndpointResponse {
    if (method !== 'GET') return { status: 405, headers: { ...JSON_HEADERS, allow: 'GET' }, body: '{"error":"method_not_allowed"}' };
    if (this.verifier) {
      const reason = this.verifier.verify('GET', this.options.signedPath ?? url, headers);
      if (reason !== null) {
        this.options.onRejected?.(reason);
        return UNAUTHORIZED;
      }
    }
    return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(this.collect()) };
  }

  /** Stops the CPU sampling timer (it is unref'd, so this is only needed in tests). */
  close(): void {
    this.resources.close();
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
