/**
 * A small, incremental parser of the `text/event-stream` format (WHATWG HTML §9.2.6),
 * fed with decoded text chunks as they arrive from a fetch body.
 */
export interface SseMessage {
  /** `message` when the event has no `event:` field. */
  event: string;
  data: string;
  id?: string;
}

export class SseParser {
  private buffer = '';
  private skipLf = false;
  private eventType = '';
  private dataLines: string[] = [];
  private hasData = false;
  private lastEventId: string | undefined;
  /** Reconnection delay the server asked for with `retry:`, in ms. */
  retryMs: number | null = null;
  /** Number of comment lines seen (heartbeats). */
  comments = 0;

  /** Feeds a chunk; returns the events completed by it (possibly none). */
  push(chunk: string): SseMessage[] {
    if (chunk === '') return [];
    let text = chunk;
    // a CR ended the previous chunk: an LF starting this one is the second half of that CRLF
    if (this.skipLf && text.startsWith('\n')) text = text.slice(1);
    this.skipLf = false;
    this.buffer += text;
    const out: SseMessage[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (ch !== '\n' && ch !== '\r') continue;
      const line = this.buffer.slice(start, i);
      if (ch === '\r') {
        if (i === this.buffer.length - 1) this.skipLf = true;
        else if (this.buffer[i + 1] === '\n') i++;
      }
      start = i + 1;
      const message = this.line(line);
      if (message) out.push(message);
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /** Drops a half-received event (after a disconnect). */
  reset(): void {
    this.buffer = '';
    this.skipLf = false;
    this.eventType = '';
    this.dataLines = [];
    this.hasData = false;
  }

  get lastId(): string | undefined {
    return this.lastEventId;
  }

  private line(line: string): SseMessage | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) {
      this.comments++;
      return null;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.dataLines.push(value);
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break; // unknown fields are ignored
    }
    return null;
  }

  private dispatch(): SseMessage | null {
    const hasData = this.hasData;
    const message: SseMessage = {
      event: this.eventType || 'message',
      data: this.dataLines.join('\n'),
      ...(this.lastEventId !== undefined ? { id: this.lastEventId } : {}),
    };
    this.eventType = '';
    this.dataLines = [];
    this.hasData = false;
    return hasData ? message : null;
  }
}
