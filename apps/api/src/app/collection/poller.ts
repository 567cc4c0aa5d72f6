import { Agent, errors, request } from 'undici';
import { validateMetricValues } from '@seqpulse/contracts';
import type { MetricValues } from '@seqpulse/contracts';
import { signPoll } from '@seqpulse/hmac';
import { OutboundAddressRefused, redactAddresses, TargetAddressPolicy } from '../target-address/target-address.policy';
import type { FailureReason } from './failure-reasons';

export interface PollTarget {
  projectId: string;
  env: string;
  url: string;
  hmacSecret: string | null;
}

export type PollOutcome =
  | { ok: true; values: MetricValues; collectedAt: Date; durationMs: number }
  | { ok: false; reason: FailureReason; detail: Record<string, unknown>; durationMs: number };

export interface PollerOptions {
  timeoutMs: number;
  maxBytes: number;
  /** The guarded outbound client: every connection is address-checked at connect time. */
  targets: TargetAddressPolicy;
  /** Sockets kept per target origin (keep-alive). */
  connectionsPerOrigin?: number;
}

/** What is stored from a failure is bounded: a message never exceeds this. */
const MAX_DETAIL_CHARS = 200;

/** The URL polled for one env: `{env}` in the endpoint is replaced, otherwise `env=<env>` is added to the query. */
export function pollUrl(endpoint: string, env: string): string {
  if (endpoint.includes('{env}')) return endpoint.split('{env}').join(encodeURIComponent(env));
  const url = new URL(endpoint);
  url.searchParams.set('env', env);
  return url.toString();
}

/**
 * Polls customer metrics endpoints: keep-alive pool, hard timeout, response size cap, HMAC v2, and an
 * address check at connect time (so a DNS answer that changed since validation cannot reach a private address).
 * Never throws: every failure comes back as a reason.
 */
export class Poller {
  private readonly agent: Agent;

  constructor(private readonly options: PollerOptions) {
    this.agent = options.targets.createAgent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 60_000,
      connections: options.connectionsPerOrigin ?? 8,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connectTimeoutMs: options.timeoutMs,
    });
  }

  async poll(target: PollTarget): Promise<PollOutcome> {
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    let url: URL;
    try {
      url = new URL(target.url);
    } catch {
      return { ok: false, reason: 'blocked_address', detail: { message: 'invalid URL' }, durationMs: elapsed() };
    }
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'SeqPulse-Realtime/1.0',
      'x-seqpulse-env': target.env,
    };
    if (target.hmacSecret)
      Object.assign(headers, signPoll({ secret: target.hmacSecret, url: url.toString(), projectId: target.projectId }));
    // A cleared timer rather than AbortSignal.timeout: that one fires at the timeout of every poll, answered or
    // not (an abort event and a DOMException per poll, a measurable share of the collector's CPU).
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new DOMException('The poll timed out', 'TimeoutError')), this.options.timeoutMs);
    try {
      const response = await request(url, {
        method: 'GET',
        headers,
        dispatcher: this.agent,
        signal: abort.signal,
      } as never);
      const collectedAt = new Date();
      if (response.statusCode !== 200) {
        await response.body.dump().catch(() => undefined);
        const hmacRefused = target.hmacSecret !== null && (response.statusCode === 401 || response.statusCode === 403);
        return {
          ok: false,
          reason: hmacRefused ? 'hmac_rejected' : 'http_status',
          detail: { status: response.statusCode },
          durationMs: elapsed(),
        };
      }
      const body = await this.readCapped(response.body, response.headers['content-length']);
      if (body === null) return { ok: false, reason: 'too_large', detail: { max_bytes: this.options.maxBytes }, durationMs: elapsed() };
      return { ...parseMetrics(body), collectedAt, durationMs: elapsed() } as PollOutcome;
    } catch (error) {
      return { ok: false, ...classify(error, this.options.timeoutMs), durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  /** The body as text, or null past the size cap (the connection is dropped, not drained). */
  private async readCapped(
    body: AsyncIterable<Buffer> & { destroy(): void; on(event: 'error', listener: () => void): unknown },
    contentLength: string | string[] | undefined,
  ): Promise<string | null> {
    // Destroying the body emits an abort error on it; without a listener that error would crash the process.
    body.on('error', () => undefined);
    if (Number(contentLength) > this.options.maxBytes) {
      body.destroy();
      return null;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > this.options.maxBytes) {
        body.destroy();
        return null;
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}

function parseMetrics(
  body: string,
): { ok: true; values: MetricValues } | { ok: false; reason: FailureReason; detail: Record<string, unknown> } {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return { ok: false, reason: 'invalid_payload', detail: { message: 'body is not JSON', body_start: body.slice(0, 80) } };
  }
  const metrics = (payload as { metrics?: unknown } | null)?.metrics;
  const check = validateMetricValues(metrics);
  if (check.ok === false) {
    return {
      ok: false,
      reason: 'invalid_payload',
      detail: { metric: check.metric, value: boundedValue(check.value), message: String(check.reason).slice(0, MAX_DETAIL_CHARS) },
    };
  }
  return { ok: true, values: check.values };
}

function classify(error: unknown, timeoutMs: number): { reason: FailureReason; detail: Record<string, unknown> } {
  const e = error as { name?: string; code?: string; message?: string; cause?: unknown };
  const cause = (e.cause ?? {}) as { code?: string };
  if (error instanceof OutboundAddressRefused || e.cause instanceof OutboundAddressRefused) {
    // The refusal names the host as configured, never the address it resolved to.
    const refusal = error instanceof OutboundAddressRefused ? error : (e.cause as OutboundAddressRefused);
    return { reason: 'blocked_address', detail: { message: refusal.message.slice(0, MAX_DETAIL_CHARS) } };
  }
  if (
    e.name === 'TimeoutError' ||
    e.name === 'AbortError' ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError
  ) {
    return { reason: 'timeout', detail: { timeout_ms: timeoutMs } };
  }
  const code = e.code ?? cause.code;
  if (code === 'ECONNREFUSED') return { reason: 'connection_refused', detail: {} };
  return {
    reason: 'network_error',
    detail: { code: code ?? null, message: redactAddresses(e.message ?? String(error)).slice(0, MAX_DETAIL_CHARS) },
  };
}

/** The offending value as received, cut so a stored failure stays small (the endpoint chooses what it sends). */
function boundedValue(value: unknown): unknown {
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean') return value ?? null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
