import { openStream } from './sse-client';

/**
 * A live-stream client that behaves as the dashboard does: when its stream ends it opens a new one (1 s apart,
 * failures included), and it keeps every sample it received across its streams.
 */
export class ReconnectingStream {
  /** `env/t` of every sample received, in order, duplicates included. */
  readonly samples: { key: string; receivedAt: number }[] = [];
  /** Streams opened (answered 200). */
  opened = 0;
  /** Streams opened after the first one ended. */
  reconnects = 0;
  /** Attempts answered with something else than 200 (the database was still away), or refused. */
  failedAttempts = 0;
  private stopped = false;
  private close?: () => Promise<void>;
  private readonly loop: Promise<void>;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    for (let first = true; !this.stopped; ) {
      const stream = await openStream(this.url, this.headers).catch(() => null);
      if (stream?.res.status === 200) {
        this.opened++;
        if (!first) this.reconnects++;
        first = false;
        this.close = stream.close;
        let seen = 0;
        const copy = () => {
          const events = stream.samples();
          for (const s of events.slice(seen)) this.samples.push({ key: `${s.env}/${s.t}`, receivedAt: Date.now() });
          seen = events.length;
        };
        while (!stream.ended && !this.stopped) {
          copy();
          await new Promise((r) => setTimeout(r, 250));
        }
        copy();
      } else {
        this.failedAttempts++;
        await stream?.close();
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  /** Samples received twice (the same env and slot on one or several streams). */
  duplicates(): number {
    const keys = this.samples.map((s) => s.key);
    return keys.length - new Set(keys).size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.close?.();
    await this.loop;
  }
}
