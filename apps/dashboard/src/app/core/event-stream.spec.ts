import { backoffDelay, EventStreamClient, FetchLike, FetchResponseLike, StreamState } from './event-stream';

/** A fake fetch body the test pushes text into. */
class FakeBody {
  private queue: string[] = [];
  private waiting: ((r: { done: boolean; value?: Uint8Array }) => void) | null = null;
  private closed = false;
  private readonly enc = new TextEncoder();
  push(text: string): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ done: false, value: this.enc.encode(text) });
    } else this.queue.push(text);
  }
  close(): void {
    this.closed = true;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ done: true });
    }
  }
  getReader() {
    return {
      read: () =>
        new Promise<{ done: boolean; value?: Uint8Array }>((resolve) => {
          const next = this.queue.shift();
          if (next !== undefined) resolve({ done: false, value: this.enc.encode(next) });
          else if (this.closed) resolve({ done: true });
          else this.waiting = resolve;
        }),
      cancel: async () => this.close(),
    };
  }
}

function okResponse(body: FakeBody): FetchResponseLike {
  return { ok: true, status: 200, body, json: async () => ({}) };
}
function errorResponse(status: number, code: string): FetchResponseLike {
  return { ok: false, status, body: null, json: async () => ({ statusCode: status, code, message: 'no' }) };
}
const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('backoffDelay', () => {
  it('doubles up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, 1000, 30000))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });
  it('applies jitter within ±ratio', () => {
    expect(backoffDelay(1, 1000, 30000, 0.2, () => 0)).toBe(800);
    expect(backoffDelay(1, 1000, 30000, 0.2, () => 1)).toBe(1200);
  });
});

describe('EventStreamClient', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends the bearer token and delivers parsed events', async () => {
    const body = new FakeBody();
    const fetchFn = jest.fn<ReturnType<FetchLike>, Parameters<FetchLike>>(async () => okResponse(body));
    const messages: string[] = [];
    const states: StreamState['status'][] = [];
    const client = new EventStreamClient({
      url: '/monitoring/enterprise/stream?project_id=p1',
      token: () => 'tok',
      fetchFn,
      jitter: 0,
      onMessage: (m) => messages.push(`${m.event}:${m.data}`),
      onState: (s) => states.push(s.status),
    });
    client.start();
    await flush();
    const init = fetchFn.mock.calls[0][1];
    expect((init.headers as Record<string, string>)['Authorization']).toBe('Bearer tok');
    expect((init.headers as Record<string, string>)['Accept']).toBe('text/event-stream');
    body.push(': hb\n\nevent: sample\ndata: {"a":1}\n\n');
    await flush();
    expect(messages).toEqual(['sample:{"a":1}']);
    expect(states).toEqual(['connecting', 'open']);
    client.stop();
    expect(client.state.status).toBe('closed');
  });

  it('reconnects with backoff after the stream ends and reports reconnected', async () => {
    const bodies = [new FakeBody(), new FakeBody()];
    let call = 0;
    const fetchFn: FetchLike = jest.fn(async () => {
      const b = bodies[call++];
      if (!b) throw new TypeError('network down');
      return okResponse(b);
    });
    const opens: boolean[] = [];
    const client = new EventStreamClient({
      url: '/s',
      token: () => 't',
      fetchFn,
      jitter: 0,
      initialDelayMs: 1000,
      onMessage: () => undefined,
      onOpen: (r) => opens.push(r),
      now: () => 0,
    });
    client.start();
    await flush();
    bodies[0].close();
    await flush();
    expect(client.state).toMatchObject({ status: 'reconnecting', attempt: 1, retryAt: 1000 });
    jest.advanceTimersByTime(1000);
    await flush();
    expect(client.state.status).toBe('open');
    expect(opens).toEqual([false, true]);
    bodies[1].close();
    await flush();
    jest.advanceTimersByTime(1000);
    await flush();
    // third attempt fails: the delay doubles
    expect(client.state).toMatchObject({ status: 'reconnecting', attempt: 2, retryAt: 2000 });
    client.stop();
  });

  it('retries a 503 but stops for good on 403 with the API error', async () => {
    const responses = [errorResponse(503, 'service_unavailable'), errorResponse(403, 'monitoring_not_enabled')];
    const fetchFn: FetchLike = jest.fn(async () => responses.shift() as FetchResponseLike);
    const client = new EventStreamClient({ url: '/s', token: () => 't', fetchFn, jitter: 0, onMessage: () => undefined });
    client.start();
    await flush();
    expect(client.state.status).toBe('reconnecting');
    jest.advanceTimersByTime(1000);
    await flush();
    expect(client.state.status).toBe('refused');
    expect(client.state.error?.code).toBe('monitoring_not_enabled');
    jest.advanceTimersByTime(60_000);
    expect(fetchFn).toHaveBeenCalledTimes(2);
  });

  it('treats a silent connection as down (idle watchdog)', async () => {
    const body = new FakeBody();
    const fetchFn: FetchLike = jest.fn(async (_url, init) => {
      init.signal?.addEventListener('abort', () => body.close());
      return okResponse(body);
    });
    const client = new EventStreamClient({
      url: '/s',
      token: () => 't',
      fetchFn,
      jitter: 0,
      idleTimeoutMs: 45_000,
      onMessage: () => undefined,
    });
    client.start();
    await flush();
    jest.advanceTimersByTime(30_000);
    body.push(': heartbeat\n\n');
    await flush();
    jest.advanceTimersByTime(30_000);
    await flush();
    expect(client.state.status).toBe('open');
    jest.advanceTimersByTime(16_000);
    await flush();
    expect(client.state.status).toBe('reconnecting');
    client.stop();
  });
});
