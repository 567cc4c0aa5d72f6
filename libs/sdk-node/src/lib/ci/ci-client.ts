import { randomUUID } from 'node:crypto';

export interface CIClientOptions {
  /** Base URL of SeqPulse, e.g. `https://seqpulse.example.com`. */
  baseUrl: string;
  /** An API key with scope `deployments:write` (and `monitoring:read` or the same key for verdicts). */
  apiKey: string;
  /** Attempts per call on network errors, 429 and 5xx (default 4, i.e. 3 retries). */
  attempts?: number;
  /** First retry delay in ms, doubled each time (default 500). */
  retryDelayMs?: number;
  /** Per-request timeout in ms, on top of any `wait` the server holds the request for (default 30,000). */
  requestTimeoutMs?: number;
}

export interface TriggerInput {
  project_id: string;
  env: string;
  /** Same key → same deployment. Default: a fresh UUID, kept across this call's retries. */
  idempotency_key?: string;
  branch?: string;
}
export interface TriggerResult {
  deployment_id: string;
  status: 'created' | 'existing';
}
export interface FinishInput {
  deployment_id: string;
  result: 'success' | 'failed';
}
export interface FinishResult {
  status: 'accepted' | 'ignored' | 'not_found';
}
export type VerdictValue = 'ok' | 'warning' | 'rollback_recommended' | 'inconclusive';
export interface Verdict {
  deployment_id: string;
  verdict: VerdictValue | null;
  final: boolean;
  reasons: { rule: string; metric: string; value: number; limit: number; message: string }[];
}

export interface CIClient {
  trigger(input: TriggerInput): Promise<TriggerResult>;
  finish(input: FinishInput): Promise<FinishResult>;
  /**
   * Waits until the verdict is final or `rollback_recommended`, at most `timeoutSeconds` (default 600),
   * and returns the last verdict seen (possibly not final when the time ran out).
   */
  waitForVerdict(deploymentId: string, options?: { timeoutSeconds?: number }): Promise<Verdict>;
}

/** A SeqPulse answer other than success: the contract's error body when there is one. */
export class SeqPulseApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`SeqPulse API ${status} ${code}: ${message}`);
    this.name = 'SeqPulseApiError';
  }
}

/** The server holds a verdict request at most this long (`wait` is 0..600). */
const MAX_WAIT_SECONDS = 600;
const VERDICT_POLL_PAUSE_MS = 2_000;

export function createCIClient(options: CIClientOptions): CIClient {
  if (!options?.baseUrl || !options.apiKey) throw new Error('createCIClient needs baseUrl and apiKey');
  const base = options.baseUrl.replace(/\/+$/, '');
  const attempts = Math.max(1, options.attempts ?? 4);
  const retryDelayMs = options.retryDelayMs ?? 500;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown, holdSeconds = 0): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.apiKey}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(requestTimeoutMs + holdSeconds * 1000),
        });
        const text = await res.text();
        if (res.ok) return JSON.parse(text) as T;
        const error = apiError(res.status, text);
        if (!(res.status === 429 || res.status >= 500) || attempt >= attempts) throw error;
        retryAfterMs = Number(res.headers.get('retry-after')) * 1000 || undefined;
      } catch (error) {
        if (error instanceof SeqPulseApiError || attempt >= attempts) throw error;
        // Network error or timeout: the same request (same idempotency key) is safe to send again.
      }
      await sleep(retryAfterMs ?? retryDelayMs * 2 ** (attempt - 1));
    }
  }

  return {
    trigger(input) {
      return call<TriggerResult>('POST', '/deployments/trigger', { ...input, idempotency_key: input.idempotency_key ?? randomUUID() });
    },
    finish(input) {
      return call<FinishResult>('POST', '/deployments/finish', input);
    },
    async waitForVerdict(deploymentId, { timeoutSeconds = MAX_WAIT_SECONDS } = {}) {
      const deadline = Date.now() + timeoutSeconds * 1000;
      for (;;) {
        const wait = Math.max(0, Math.min(MAX_WAIT_SECONDS, Math.ceil((deadline - Date.now()) / 1000)));
        const askedAt = Date.now();
        const verdict = await call<Verdict>(
          'GET',
          `/deployments/${encodeURIComponent(deploymentId)}/verdict?wait=${wait}`,
          undefined,
          wait,
        );
        if (verdict.final || verdict.verdict === 'rollback_recommended' || Date.now() >= deadline) return verdict;
        // An answer well before `wait` ran out without a final verdict: pause rather than ask in a tight loop.
        if (Date.now() - askedAt < (wait - 1) * 1000) await sleep(Math.min(VERDICT_POLL_PAUSE_MS, Math.max(0, deadline - Date.now())));
      }
    },
  };
}

function apiError(status: number, text: string): SeqPulseApiError {
  try {
    const body = JSON.parse(text) as { code?: string; message?: string };
    return new SeqPulseApiError(status, body.code ?? 'http_error', body.message ?? text);
  } catch {
    return new SeqPulseApiError(status, 'http_error', text.slice(0, 200));
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
