import { IncomingHttpHeaders } from 'node:http';

export interface TargetRequestRecord {
  count: number;
  lastAtMs: number;
  lastHeaders: IncomingHttpHeaders;
  /** Status of the last answer; null while pending or when the target did not answer (outage). */
  lastStatus: number | null;
}

/**
 * Polls received per target, for tests and demos. Records are updated in place (no allocation
 * per poll for known targets); the number of targets is capped, oldest first out.
 */
export class RequestLog {
  private readonly byTarget = new Map<string, TargetRequestRecord>();

  constructor(private readonly maxTargets = 50_000) {}

  record(name: string, headers: IncomingHttpHeaders, nowMs: number): TargetRequestRecord {
    let entry = this.byTarget.get(name);
    if (entry === undefined) {
      entry = {
        count: 0,
        lastAtMs: nowMs,
        lastHeaders: headers,
        lastStatus: null,
      };
      this.byTarget.set(name, entry);
      this.evictOverflow();
    }
    entry.count++;
    entry.lastAtMs = nowMs;
    entry.lastHeaders = headers;
    entry.lastStatus = null;
    return entry;
  }

  get(name: string): TargetRequestRecord | undefined {
    return this.byTarget.get(name);
  }

  clear(): void {
    this.byTarget.clear();
  }

  private evictOverflow(): void {
    while (this.byTarget.size > this.maxTargets) {
      const oldest = this.byTarget.keys().next().value as string;
      this.byTarget.delete(oldest);
    }
  }
}
