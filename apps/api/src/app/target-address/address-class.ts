import * as ipaddr from 'ipaddr.js';

/**
 * What SeqPulse may connect to:
 * - `public`: ordinary unicast;
 * - `private`: loopback and private networks (RFC 1918, unique-local), only with SEQPULSE_ALLOW_PRIVATE_TARGETS;
 * - `forbidden`: never, whatever the settings: cloud metadata services, link-local, carrier-grade NAT
 *   (100.64.0.0/10, where some clouds put their metadata too), unspecified, broadcast, multicast, reserved and
 *   documentation ranges, and every IPv6 form that embeds such an IPv4 address.
 */
export type AddressClass = 'public' | 'private' | 'forbidden';

/** Metadata endpoints outside the ranges refused as a whole (AWS IPv6 IMDS sits in fc00::/7; Azure's wire server is a public address). */
const METADATA_ADDRESSES = new Set(['fd00:ec2::254', '168.63.129.16']);

const V4_FORBIDDEN = new Set(['unspecified', 'broadcast', 'multicast', 'linkLocal', 'carrierGradeNat', 'reserved']);
const V4_PRIVATE = new Set(['loopback', 'private']);
const V6_FORBIDDEN = new Set([
  'unspecified',
  'linkLocal',
  'multicast',
  'discard',
  'benchmarking',
  'reserved',
  'deprecatedOrchid',
  'orchid2',
  'droneRemoteIdProtocolEntityTags',
  'segmentRouting',
]);
const V6_PRIVATE = new Set(['loopback', 'uniqueLocal', 'deprecatedSiteLocal']);
const RANK: Record<AddressClass, number> = { public: 0, private: 1, forbidden: 2 };

export function classifyAddress(address: string): AddressClass {
  if (!ipaddr.isValid(address)) return 'forbidden';
  // ipaddr.js reads the IPv4-compatible `::a.b.c.d` as mapped; it is a deprecated form nothing legitimate uses.
  if (/^::\d+\.\d+\.\d+\.\d+$/.test(address)) return 'forbidden';
  const ip = ipaddr.parse(address);
  if (METADATA_ADDRESSES.has(ip.toNormalizedString()) || METADATA_ADDRESSES.has(ip.toString())) return 'forbidden';
  return ip.kind() === 'ipv4' ? classifyV4(ip as ipaddr.IPv4) : classifyV6(ip as ipaddr.IPv6);
}

export function isAddressAllowed(address: string, allowPrivate: boolean): boolean {
  const kind = classifyAddress(address);
  return kind === 'public' || (kind === 'private' && allowPrivate);
}

/** The worse of two classes. */
export function worst(a: AddressClass, b: AddressClass): AddressClass {
  return RANK[a] >= RANK[b] ? a : b;
}

function classifyV4(ip: ipaddr.IPv4): AddressClass {
  if (METADATA_ADDRESSES.has(ip.toString())) return 'forbidden';
  const range = ip.range();
  if (V4_FORBIDDEN.has(range)) return 'forbidden';
  if (V4_PRIVATE.has(range)) return 'private';
  return 'public';
}

function classifyV6(ip: ipaddr.IPv6): AddressClass {
  const p = ip.parts;
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  // ::a.b.c.d (IPv4-compatible, deprecated since 2006: nothing legitimate uses it) and ::/96 in general.
  if (p.slice(0, 6).every((x) => x === 0)) {
    return p[6] === 0 && p[7] === 1 ? 'private' : 'forbidden';
  }
  const range = ip.range();
  switch (range) {
    case 'ipv4Mapped': // ::ffff:a.b.c.d
    case 'rfc6145': // ::ffff:0:a.b.c.d
      return classifyV4(v4(p[6], p[7]));
    case 'rfc6052': // NAT64 64:ff9b::a.b.c.d and the local-use 64:ff9b:1::/48
      return p[2] === 0x1 ? worst('private', classifyV4(v4(p[6], p[7]))) : classifyV4(v4(p[6], p[7]));
    case '6to4': // 2002:AABB:CCDD::/48
      return classifyV4(v4(p[1], p[2]));
    case 'teredo': // 2001:0:server:server:flags:port:~client:~client
      return worst(classifyV4(v4(p[2], p[3])), classifyV4(v4(~p[6] & 0xffff, ~p[7] & 0xffff)));
  }
  if (V6_FORBIDDEN.has(range)) return 'forbidden';
  if (V6_PRIVATE.has(range)) return 'private';
  return 'public';
}
