import { ApiError, fromStatusAndBody } from './api-error';
import { SseMessage, SseParser } from './sse-parser';

/**
 * Server-Sent Events over `fetch` + `ReadableStream`: unlike `EventSource`, it can send the
 * `Authorization` header. Reconnects by itself with exponential backoff, and treats a
 * silent connection (no byte, not even a heartbeat comment, for `idleTimeoutMs`) as down.
 */
export type StreamStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'refused' | 'closed';

export interface StreamState {
  status: StreamStatus;
  /** Consecutive failed attempts (0 once a connection is open). */
  attempt: number;
  /** When `reconnecting`: epoch ms of the next attempt. */
  retryAt: number | null;
  /** When `refused` (401/403/404): the API error. */
  error: ApiError | null;
}

interface BodyReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}
export interface FetchResponseLike {
  ok: boolean;
  status: number;
  body: { getReader(): BodyReader } | null;
  json(): Promise<unknown>;
}
export type FetchLike = (url: string, init: RequestInit) => Promise<FetchResponseLike>;

export interface EventStreamOptions {
  url: string;
  token: () => string | null;
  onMessage: (message: SseMessage) => void;
  onState?: (state: StreamState) => void;
  /** Called each time a connection opens; `reconnected` is false for the first one. */
  onOpen?: (reconnected: boolean) => void;
  fetchFn?: FetchLike;
  initialDelayMs?: number;
  maxDelayMs?: number;
  idleTimeoutMs?: number;
  /** 0..1; the random part of each delay (tests pass 0). */
  jitter?: number;
  random?: () => number;
  now?: () => number;
}

export function backoffDelay(attempt: number, initialMs: number, maxMs: number, jitter = 0, random = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  const spread = base * jitter;
  return Math.round(base - spread + random() * 2 * spread);
}

export class EventStreamClient {
  private controller: AbortController | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private everOpened = false;
  private readonly parser = new SseParser();
  private currentState: StreamState = { status: 'idle', attempt: 0, retryAt: null, error: null };

  constructor(private readonly options: EventStreamOptions) {}

  get state(): StreamState {
    return this.currentState;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.everOpened = false;
    this.setState({ status: 'connecting', attempt: 0, retryAt: null, error: null });
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.controller?.abort();
    this.controller = null;
    this.setState({ status: 'closed', attempt: 0, retryAt: null, error: null });
  }

  private setState(state: StreamState): void {
    this.currentState = state;
    this.options.onState?.(state);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.retryTimer = null;
    this.idleTimer = null;
  }

  private armIdle(controller: AbortController): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const timeout = this.options.idleTimeoutMs ?? 45_000;
    this.idleTimer = setTimeout(() => controller.abort(new Error('idle')), timeout);
  }

  private async connect(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    this.parser.reset();
    const fetchFn: FetchLike = this.options.fetchFn ?? ((url, init) => fetch(url, init));
    const headers: Record<string, string> = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' };
    const token = this.options.token();
    if (token) headers['Authorization'] = `Bearer ${token}`;
    if (this.parser.lastId) headers['Last-Event-ID'] = this.parser.lastId;
    try {
      this.armIdle(controller);
      const res = await fetchFn(this.options.url, { headers, signal: controller.signal, cache: 'no-store' });
      if (this.stopped || controller.signal.aborted) return;
      if (!res.ok || !res.body) {
        let body: unknown = null;
        try {
          body = await res.json();
        } catch {
          body = null;
        }
        const error = fromStatusAndBody(res.status, body);
        if (res.status === 401 || res.status === 403 || res.status === 404) {
          this.stopped = true;
          this.clearTimers();
          this.setState({ status: 'refused', attempt: 0, retryAt: null, error });
          return;
        }
        throw error;
      }
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.setState({ status: 'open', attempt: 0, retryAt: null, error: null });
      this.options.onOpen?.(reconnected);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (this.stopped) {
          await reader.cancel().catch(() => undefined);
          return;
        }
        if (done) break;
        this.armIdle(controller);
        const messages = this.parser.push(decoder.decode(value, { stream: true }));
        for (const message of messages) this.options.onMessage(message);
      }
    } catch {
      /* network error, abort by the idle watchdog, or a 5xx: reconnect below */
    }
    if (!this.stopped) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.clearTimers();
    const attempt = this.currentState.status === 'open' ? 1 : this.currentState.attempt + 1;
    const initial = Math.max(this.options.initialDelayMs ?? 1000, this.parser.retryMs ?? 0);
    const delay = backoffDelay(attempt, initial, this.options.maxDelayMs ?? 30_000, this.options.jitter ?? 0.2, this.options.random);
    const now = (this.options.now ?? Date.now)();
    this.setState({ status: 'reconnecting', attempt, retryAt: now + delay, error: null });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) void this.connect();
    }, delay);
  }
}
