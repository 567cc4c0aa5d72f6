import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Agent, request } from 'undici';
import { AppConfig } from '../config/app-config';
import { OutboundAddressRefused, redactAddresses, TargetAddressPolicy } from '../target-address/target-address.policy';

export interface SendResult {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

/** Stored in the delivery's attempt log: bounded. */
const MAX_ERROR_CHARS = 200;

/**
 * Sends one notification (webhook or Slack) with a timeout, through the guarded outbound client: the connection
 * only goes to an address the policy allows, checked when it connects, so a name that re-resolves to a private or
 * metadata address after validation gains nothing.
 */
@Injectable()
export class NotificationSender implements OnModuleDestroy {
  private readonly agent: Agent;

  constructor(
    private readonly config: AppConfig,
    private readonly targets: TargetAddressPolicy,
  ) {
    this.agent = this.targets.createAgent({
      connectTimeoutMs: config.SEQPULSE_NOTIFY_TIMEOUT_MS,
      headersTimeout: config.SEQPULSE_NOTIFY_TIMEOUT_MS,
      bodyTimeout: config.SEQPULSE_NOTIFY_TIMEOUT_MS,
      connections: 64,
    });
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    const started = performance.now();
    const done = (r: Omit<SendResult, 'durationMs'>): SendResult => ({ ...r, durationMs: Math.round(performance.now() - started) });
    try {
      // The guarded agent resolves and checks the host when it connects: the one gate for every delivery.
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'SeqPulse-Alerts/1', ...headers },
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.config.SEQPULSE_NOTIFY_TIMEOUT_MS),
      });
      await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      return done({ ok, httpStatus: res.statusCode, error: ok ? null : `HTTP ${res.statusCode}` });
    } catch (error) {
      return done({ ok: false, httpStatus: null, error: describeError(error) });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

function describeError(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (
    e?.name === 'TimeoutError' ||
    e?.code === 'UND_ERR_HEADERS_TIMEOUT' ||
    e?.code === 'UND_ERR_CONNECT_TIMEOUT' ||
    e?.code === 'UND_ERR_BODY_TIMEOUT'
  )
    return 'timeout';
  if (error instanceof OutboundAddressRefused || e?.cause instanceof OutboundAddressRefused) {
    return `address refused: ${(error instanceof OutboundAddressRefused ? error : (e.cause as Error)).message}`.slice(0, MAX_ERROR_CHARS);
  }
  const code = e?.code ?? e?.cause?.code;
  const message = redactAddresses(e?.message ?? e?.cause?.message ?? String(error));
  return (code ? `${code}: ${message}` : message).slice(0, MAX_ERROR_CHARS);
}
