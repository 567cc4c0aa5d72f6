import { Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';
import { AppConfig } from '../config/app-config';

export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** ipaddr.js ranges a customer target may be in. Everything else (loopback, private, link-local incl. the cloud metadata address, ...) is refused. */
const PUBLIC_RANGES = new Set(['unicast']);

/** Whether the server may connect to this address. Private ranges only with SEQPULSE_ALLOW_PRIVATE_TARGETS. */
export function isAddressAllowed(address: string, allowPrivate: boolean): boolean {
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (PUBLIC_RANGES.has(range)) return true;
  // Even the demo never reaches the metadata service or unspecified/broadcast/multicast addresses.
  const neverAllowed = ['unspecified', 'broadcast', 'multicast', 'reserved'];
  if (address === '169.254.169.254' || address.toLowerCase() === 'fd00:ec2::254') return false;
  return allowPrivate && !neverAllowed.includes(range);
}

/**
 * Validates every URL the server will call (metrics endpoints, webhooks): http(s) only, no
 * credentials, and every address the host resolves to must be allowed. The collector checks
 * the connected address again at poll time, so a DNS answer that changes later gains nothing.
 */
@Injectable()
export class TargetAddressPolicy {
  constructor(private readonly config: AppConfig) {}

  get allowPrivate(): boolean {
    return this.config.allowPrivateTargets;
  }

  async check(raw: string): Promise<TargetCheck> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { ok: false, reason: 'is not a valid absolute URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'must use http or https' };
    if (url.username || url.password) return { ok: false, reason: 'must not contain credentials' };
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    if (isIP(host)) {
      addresses = [host];
    } else {
      try {
        addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
      } catch {
        return { ok: false, reason: `host ${host} does not resolve` };
      }
    }
    const blocked = addresses.find((a) => !isAddressAllowed(a, this.allowPrivate));
    if (blocked !== undefined) {
      return {
        ok: false,
        reason: `resolves to ${blocked}, a loopback, private, link-local or metadata address that SeqPulse does not call`,
      };
    }
    return { ok: true, url };
  }
}
