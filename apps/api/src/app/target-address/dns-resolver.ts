import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';

export class HostResolutionError extends Error {
  constructor(
    readonly host: string,
    readonly code: 'ENOTFOUND' | 'ETIMEOUT',
  ) {
    super(code === 'ETIMEOUT' ? `host ${host} did not resolve in time` : `host ${host} does not resolve`);
  }
}

/**
 * Resolves outbound host names with c-ares (`dns.Resolver`), never `dns.lookup`: lookups run getaddrinfo on libuv's
 * four-thread pool, where a slow DNS server would stall file and crypto work (argon2, compression) of the whole
 * process. Answers are not cached: each connection checks what the name resolves to at that moment.
 * `localhost` is answered as RFC 6761 says (it is in /etc/hosts, which c-ares queries do not read).
 */
export class DnsResolver {
  private readonly resolver: Resolver;

  constructor(
    private readonly timeoutMs: number,
    servers?: string[],
  ) {
    this.resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
    if (servers?.length) this.resolver.setServers(servers);
  }

  /** Every IPv4 and IPv6 address of the host (an IP literal is its own answer). */
  async resolve(hostname: string): Promise<string[]> {
    const host = hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return [host];
    if (host.toLowerCase() === 'localhost' || host.toLowerCase().endsWith('.localhost')) return ['127.0.0.1', '::1'];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HostResolutionError(host, 'ETIMEOUT')), this.timeoutMs * 2);
    });
    try {
      const [v4, v6] = await Promise.race([Promise.allSettled([this.resolver.resolve4(host), this.resolver.resolve6(host)]), deadline]);
      const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
      if (addresses.length > 0) return addresses;
      const codes = [v4, v6].map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : undefined));
      throw new HostResolutionError(host, codes.includes('ETIMEOUT') ? 'ETIMEOUT' : 'ENOTFOUND');
    } finally {
      clearTimeout(timer);
    }
  }
}
