import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { lookup as dnsLookup, LookupAddress, LookupOptions } from 'node:dns';
import { Agent, request } from 'undici';
import { AppConfig } from '../config/app-config';
import { isAddressAllowed, TargetAddressPolicy } from '../target-address/target-address.policy';

export interface SendResult {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Sends one notification (webhook or Slack) with a timeout. The URL is checked against the address policy
 * right before sending, and the connection itself only goes to an address the policy allows (the DNS answer
 * is checked again at connect time), so a name that re-resolves to a private address gains nothing.
 */
@Injectable()
export class NotificationSender implements OnModuleDestroy {
  private readonly agent: Agent;

  constructor(
    private readonly config: AppConfig,
    private readonly targets: TargetAddressPolicy,
  ) {
    const allowPrivate = () => this.targets.allowPrivate;
    this.agent = new Agent({
      connect: { timeout: config.SEQPULSE_NOTIFY_TIMEOUT_MS, lookup: checkedLookup(allowPrivate) },
      headersTimeout: config.SEQPULSE_NOTIFY_TIMEOUT_MS,
      bodyTimeout: config.SEQPULSE_NOTIFY_TIMEOUT_MS,
      connections: 64,
    });
  }

  async post(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    const started = performance.now();
    const done = (r: Omit<SendResult, 'durationMs'>): SendResult => ({ ...r, durationMs: Math.round(performance.now() - started) });
    const check = await this.targets.check(url);
    if (check.ok === false) return done({ ok: false, httpStatus: null, error: `address refused: ${check.reason}` });
    try {
      const res = await request(check.url, {
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

function checkedLookup(allowPrivate: () => boolean) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const blocked = list.find((a) => !isAddressAllowed(a.address, allowPrivate()));
      if (blocked || list.length === 0) {
        const refused = Object.assign(
          new Error(`${hostname} resolves to ${blocked?.address ?? 'nothing'}, an address SeqPulse does not call`),
          { code: 'EADDRREFUSED' },
        );
        return callback(refused, []);
      }
      if (options.all) return callback(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
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
  const code = e?.code ?? e?.cause?.code;
  const message = e?.message ?? e?.cause?.message ?? String(error);
  return (code ? `${code}: ${message}` : message).slice(0, 300);
}
