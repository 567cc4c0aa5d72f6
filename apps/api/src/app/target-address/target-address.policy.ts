import { Injectable } from '@nestjs/common';
import { Agent, buildConnector } from 'undici';
import { AppConfig } from '../config/app-config';
import { AddressClass, classifyAddress, worst } from './address-class';
import { DnsResolver, HostResolutionError } from './dns-resolver';

export { classifyAddress, isAddressAllowed } from './address-class';
export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Thrown by the guarded connector; its message names the host as given, never the addresses it resolved to. */
export class OutboundAddressRefused extends Error {
  readonly code = 'EADDRREFUSED';
  constructor(host: string, kind: Exclude<AddressClass, 'public'>) {
    super(`${host} ${describeRefusal(kind)}`);
  }
}

function describeRefusal(kind: Exclude<AddressClass, 'public'>): string {
  return kind === 'forbidden'
    ? 'resolves to a metadata, link-local, carrier-grade NAT or other reserved address, which SeqPulse never calls'
    : 'resolves to a loopback or private address, which SeqPulse calls only with SEQPULSE_ALLOW_PRIVATE_TARGETS=true';
}

export interface GuardedAgentOptions extends Omit<Agent.Options, 'connect'> {
  connectTimeoutMs: number;
}

/**
 * The one guarded way out of SeqPulse. Every URL the server calls (metrics endpoints, webhooks, Slack) is validated
 * here when it is saved (`check`), and every connection is made through `createAgent`'s connector, which resolves
 * the host again at connect time and connects only when every address it resolves to is allowed, to that
 * checked address: a DNS answer that changed since validation (rebinding) gains nothing, and IP literals take the
 * same path. Metadata, link-local and CGNAT addresses are refused even when private targets are allowed.
 */
@Injectable()
export class TargetAddressPolicy {
  private readonly resolver: DnsResolver;

  constructor(private readonly config: AppConfig) {
    const servers = config.SEQPULSE_DNS_SERVERS?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    this.resolver = new DnsResolver(config.SEQPULSE_DNS_TIMEOUT_MS, servers);
  }

  get allowPrivate(): boolean {
    return this.config.allowPrivateTargets;
  }

  /** Validation of a URL about to be stored: http(s), no credentials, and a host whose every address is allowed. */
  async check(raw: string): Promise<TargetCheck> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { ok: false, reason: 'is not a valid absolute URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'must use http or https' };
    if (url.username || url.password) return { ok: false, reason: 'must not contain credentials' };
    try {
      await this.allowedAddress(url.hostname);
    } catch (error) {
      if (error instanceof OutboundAddressRefused || error instanceof HostResolutionError) return { ok: false, reason: error.message };
      throw error;
    }
    return { ok: true, url };
  }

  /** An undici Agent whose every connection goes through the address check (pass it as `dispatcher`). */
  createAgent(options: GuardedAgentOptions): Agent {
    const { connectTimeoutMs, ...agentOptions } = options;
    const connect = buildConnector({ timeout: connectTimeoutMs });
    const guarded: buildConnector.connector = (opts, callback) => {
      this.allowedAddress(opts.hostname).then(
        (address) => connect({ ...opts, hostname: address }, callback),
        (error: Error) => callback(error, null),
      );
    };
    return new Agent({ ...agentOptions, connect: guarded });
  }

  /** Resolves the host and returns the address to connect to, or throws when any of its addresses is refused. */
  private async allowedAddress(hostname: string): Promise<string> {
    const host = hostname.replace(/^\[|\]$/g, '');
    const addresses = await this.resolver.resolve(host);
    const kind = addresses.map(classifyAddress).reduce(worst, 'public' as AddressClass);
    if (kind === 'forbidden' || (kind === 'private' && !this.allowPrivate)) throw new OutboundAddressRefused(host, kind);
    return addresses[0];
  }
}

/** Socket errors name the address they tried (`connect EHOSTUNREACH 10.0.0.7:80`): what is stored or shown must not. */
export function redactAddresses(message: string): string {
  return message.replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, '<address>').replace(/(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}/gi, '<address>');
}
