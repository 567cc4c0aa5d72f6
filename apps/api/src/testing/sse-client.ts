/** One parsed Server-Sent Event. */
export interface StreamEvent {
  event: string;
  data: unknown;
}

/**
 * Reads a `text/event-stream` response with fetch (as the dashboard does: EventSource cannot send Authorization)
 * and collects its named events with their JSON data; comments (heartbeats) are skipped.
 */
export async function collectEvents(url: string, headers: Record<string, string>): Promise<{ events: StreamEvent[]; close: () => void }> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  if (res.status !== 200 || !res.body) throw new Error(`stream: ${res.status}`);
  const events: StreamEvent[] = [];
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let pending = '';
    try {
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        pending += chunk.value;
        const blocks = pending.split('\n\n');
        pending = blocks.pop() ?? '';
        for (const block of blocks) {
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name && data !== undefined) events.push({ event: name, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { events, close: () => abort.abort() };
}
