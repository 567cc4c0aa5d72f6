import { Injectable, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { ApiError } from '../common/api-error';
import { Credentials, extractCredential } from '../auth/credentials';
import type { Principal } from '../auth/principal';
import { ProjectsService } from '../projects/projects.service';
import { credentialKey } from '../rate-limits/request-limiter';
import { OperationalMetrics } from '../operational-metrics/operational-metrics';
import { formatEvent } from './stream-hub';

/** Why the server ended a stream: the data of its final `event: end`. */
export type StreamEndReason =
  | 'unauthenticated'
  | 'insufficient_scope'
  | 'project_not_found'
  | 'plan_not_enterprise'
  | 'monitoring_not_enabled'
  | 'write_timeout';

const END_MESSAGES: Record<StreamEndReason, string> = {
  unauthenticated: 'The credential of this stream was revoked or expired, or its account was disabled.',
  insufficient_scope: 'The credential of this stream no longer has the monitoring:read scope.',
  project_not_found: 'The project no longer exists or is no longer visible to this credential.',
  plan_not_enterprise: 'The project is no longer on the Enterprise plan.',
  monitoring_not_enabled: 'The project left the Realtime rollout.',
  write_timeout: 'The client did not read the stream in time.',
};

/** A stream told to end gets a moment to flush its final event before the socket is destroyed. */
const END_FLUSH_MS = 1_000;

/**
 * Bounds and re-checks the event streams of this process:
 * - at most SEQPULSE_STREAMS_PER_CREDENTIAL open streams per user (sessions together) or API key, and
 *   SEQPULSE_STREAMS_PER_PROCESS in all; over it, 429 `rate_limited` with Retry-After;
 * - a reader that has not taken pending bytes for SEQPULSE_STREAM_WRITE_TIMEOUT_S is disconnected;
 * - every heartbeat re-checks the credential, the scope, the project's visibility, plan and rollout; a stream
 *   that fails ends with `event: end` `{"reason","message"}` (reason: a StreamEndReason).
 */
@Injectable()
export class StreamGuard {
  private readonly logger = new Logger(StreamGuard.name);
  private readonly perCredential = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly credentials: Credentials,
    private readonly projects: ProjectsService,
    metrics: OperationalMetrics,
  ) {
    metrics.gauge('openStreams', () => this.total);
  }

  get openStreams(): number {
    return this.total;
  }

  /** Takes a stream slot for the caller or throws 429; call before anything is written. */
  open(req: Request & { principal?: Principal }, res: Response, projectId: string, heartbeatMs: number): GuardedStream {
    const principal = req.principal;
    if (!principal) throw ApiError.unauthenticated();
    const key = credentialKey(principal);
    const mine = this.perCredential.get(key) ?? 0;
    if (mine >= this.config.SEQPULSE_STREAMS_PER_CREDENTIAL || this.total >= this.config.SEQPULSE_STREAMS_PER_PROCESS) {
      res.setHeader('Retry-After', '30');
      const perCredential = mine >= this.config.SEQPULSE_STREAMS_PER_CREDENTIAL;
      throw new ApiError(
        429,
        'rate_limited',
        perCredential
          ? `At most ${this.config.SEQPULSE_STREAMS_PER_CREDENTIAL} open streams per credential; close one first.`
          : 'This server has as many open streams as it serves; retry shortly.',
        { open_streams_limit: perCredential ? this.config.SEQPULSE_STREAMS_PER_CREDENTIAL : this.config.SEQPULSE_STREAMS_PER_PROCESS },
      );
    }
    this.perCredential.set(key, mine + 1);
    this.total++;
    const release = () => {
      this.total--;
      const left = (this.perCredential.get(key) ?? 1) - 1;
      if (left > 0) this.perCredential.set(key, left);
      else this.perCredential.delete(key);
    };
    const credential = extractCredential(req);
    return new GuardedStream(res, heartbeatMs, this.config.SEQPULSE_STREAM_WRITE_TIMEOUT_S * 1000, release, () =>
      this.recheck(credential, projectId),
    );
  }

  /** null while the stream may go on, else why it must end. */
  async recheck(credential: string | null, projectId: string): Promise<StreamEndReason | null> {
    try {
      const principal = await this.credentials.authenticate(credential);
      if (!principal) return 'unauthenticated';
      if (!principal.scopes.has('monitoring:read')) return 'insufficient_scope';
      const { monitoring: status } = await this.projects.findVisibleWithMonitoring(principal, projectId);
      return status.enabled ? null : status.reason === 'plan_not_enterprise' ? 'plan_not_enterprise' : 'monitoring_not_enabled';
    } catch (error) {
      if (error instanceof ApiError && error.code === 'project_not_found') return 'project_not_found';
      // The database being briefly away is no reason to cut every stream: the next heartbeat checks again.
      this.logger.warn({ err: (error as Error).message }, 'Stream re-check failed; keeping the stream until the next heartbeat');
      return null;
    }
  }
}

/** One open stream: writes with a stall timeout, heartbeats with re-checks, and one idempotent close. */
export class GuardedStream {
  private closed = false;
  private stallTimer?: NodeJS.Timeout;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly onCloseCallbacks: (() => void)[] = [];

  constructor(
    private readonly res: Response,
    heartbeatMs: number,
    private readonly writeTimeoutMs: number,
    private readonly release: () => void,
    private readonly recheck: () => Promise<StreamEndReason | null>,
  ) {
    this.heartbeat = setInterval(() => void this.beat(), heartbeatMs);
    res.on('drain', () => this.clearStall());
    res.on('close', () => this.close());
  }

  /** Writes raw SSE text; returns the bytes still unsent (the hub disconnects a client that falls far behind). */
  write(chunk: string): number {
    if (this.closed) return 0;
    if (!this.res.write(chunk) && !this.stallTimer) {
      this.stallTimer = setTimeout(() => this.end('write_timeout'), this.writeTimeoutMs);
      this.stallTimer.unref();
    }
    return this.res.writableLength;
  }

  onClose(callback: () => void): void {
    this.onCloseCallbacks.push(callback);
  }

  /** Ends the stream: with a final `event: end` naming the reason when given. */
  end(reason?: StreamEndReason): void {
    if (this.closed) return;
    if (reason && reason !== 'write_timeout') this.res.write(formatEvent('end', { reason, message: END_MESSAGES[reason] }));
    if (reason === 'write_timeout') {
      this.res.destroy();
    } else if (!this.res.writableEnded) {
      this.res.end();
      // A reader that never takes the final bytes does not keep the socket.
      setTimeout(() => {
        if (!this.res.writableFinished) this.res.destroy();
      }, END_FLUSH_MS).unref();
    }
    this.close();
  }

  private async beat(): Promise<void> {
    const reason = await this.recheck();
    if (this.closed) return;
    if (reason) return this.end(reason);
    this.write(': heartbeat\n\n');
  }

  private clearStall(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.clearStall();
    this.release();
    for (const callback of this.onCloseCallbacks.splice(0)) callback();
  }
}
