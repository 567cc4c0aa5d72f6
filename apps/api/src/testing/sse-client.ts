export interface SseEvent {
  event: string | null;
  data: string | null;
  comment: string | null;
}

/** A fetch-streaming SSE client (what the dashboard does: EventSource cannot send Authorization). */
export async function openStream(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  let ended = false;
  let buffer = '';
  const waiters: (() => void)[] = [];
  const pump = (async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const ev: SseEvent = { event: null, data: null, comment: null };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) ev.comment = line.slice(1).trim();
            else if (line.startsWith('event: ')) ev.event = line.slice(7);
            else if (line.startsWith('data: ')) ev.data = line.slice(6);
          }
          events.push(ev);
        }
        waiters.splice(0).forEach((w) => w());
      }
    } catch {
      /* aborted */
    } finally {
      ended = true;
      waiters.splice(0).forEach((w) => w());
    }
  })();
  const waitFor = async (predicate: (e: SseEvent[]) => boolean, timeoutMs = 5000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(events)) {
      if (ended) throw new Error(`stream ended; events: ${JSON.stringify(events)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout; events: ${JSON.stringify(events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  };
  const samples = () => events.filter((e) => e.event === 'sample').map((e) => JSON.parse(e.data as string));
  const alerts = () => events.filter((e) => e.event === 'alert').map((e) => JSON.parse(e.data as string));
  return {
    res,
    events,
    samples,
    alerts,
    waitFor,
    get ended() {
      return ended;
    },
    close: async () => {
      controller.abort();
      await pump;
    },
    done: pump,
  };
}

/** One named event with its JSON data. */
export interface StreamEvent {
  event: string;
  data: unknown;
}

/** The stream's named events with their data parsed, as they arrive (comments and heartbeats skipped). */
export async function collectEvents(url: string, headers: Record<string, string>): Promise<{ events: StreamEvent[]; close: () => void }> {
  const stream = await openStream(url, headers);
  if (stream.res.status !== 200) throw new Error(`stream: ${stream.res.status}`);
  return {
    get events() {
      return stream.events
        .filter((e): e is SseEvent & { event: string; data: string } => e.event !== null && e.data !== null)
        .map((e) => ({ event: e.event, data: JSON.parse(e.data) }));
    },
    close: () => void stream.close(),
  };
}
