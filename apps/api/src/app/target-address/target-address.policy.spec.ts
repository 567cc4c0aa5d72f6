import { AppConfig } from '../config/app-config';
import { classifyAddress, isAddressAllowed } from './address-class';
import { redactAddresses, TargetAddressPolicy } from './target-address.policy';

describe('classifyAddress', () => {
  it.each(['8.8.8.8', '93.184.215.14', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'])('public %s', (ip) => {
    expect(classifyAddress(ip)).toBe('public');
  });

  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.0.1', '::1', 'fc00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '2002:a00:1::1'])(
    'private %s',
    (ip) => {
      expect(classifyAddress(ip)).toBe('private');
    },
  );

  // Every form of the metadata address, link-local, CGNAT, unspecified and broadcast, IPv4 and IPv6-embedded.
  it.each([
    ['metadata', '169.254.169.254'],
    ['link-local', '169.254.1.1'],
    ['CGNAT', '100.64.0.1'],
    ['CGNAT (Alibaba metadata)', '100.100.100.200'],
    ['unspecified', '0.0.0.0'],
    ['this network', '0.1.2.3'],
    ['broadcast', '255.255.255.255'],
    ['multicast', '224.0.0.1'],
    ['reserved', '240.0.0.1'],
    ['Azure wire server', '168.63.129.16'],
    ['AWS IPv6 metadata', 'fd00:ec2::254'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv6 unspecified', '::'],
    ['IPv6 multicast', 'ff02::1'],
    ['mapped metadata', '::ffff:169.254.169.254'],
    ['mapped metadata (hex)', '::ffff:a9fe:a9fe'],
    ['mapped CGNAT', '::ffff:100.64.0.1'],
    ['mapped unspecified', '::ffff:0.0.0.0'],
    ['mapped broadcast', '::ffff:255.255.255.255'],
    ['compatible metadata', '::169.254.169.254'],
    ['compatible public (deprecated form)', '::8.8.8.8'],
    ['SIIT metadata', '::ffff:0:a9fe:a9fe'],
    ['NAT64 metadata', '64:ff9b::169.254.169.254'],
    ['NAT64 local-use metadata', '64:ff9b:1::a9fe:a9fe'],
    ['NAT64 CGNAT', '64:ff9b::6440:1'],
    ['6to4 metadata', '2002:a9fe:a9fe::1'],
    ['6to4 CGNAT', '2002:6440:1::'],
    ['Teredo client metadata', '2001:0:4136:e378:8000:63bf:5601:5601'],
    ['Teredo server link-local', '2001:0:a9fe:a9fe::1'],
    ['documentation', '2001:db8::1'],
    ['not an address', 'not-an-ip'],
  ])('forbidden: %s %s', (_label, ip) => {
    expect(classifyAddress(ip)).toBe('forbidden');
    expect(isAddressAllowed(ip, true)).toBe(false);
  });

  it('allows private ranges only when private targets are allowed', () => {
    expect(isAddressAllowed('127.0.0.1', false)).toBe(false);
    expect(isAddressAllowed('127.0.0.1', true)).toBe(true);
    expect(isAddressAllowed('8.8.8.8', false)).toBe(true);
  });
});

describe('TargetAddressPolicy.check', () => {
  const policy = (allowPrivate: boolean) =>
    new TargetAddressPolicy(Object.assign(new AppConfig(), { SEQPULSE_DEMO: false, SEQPULSE_ALLOW_PRIVATE_TARGETS: allowPrivate }));

  it('accepts http(s) on public addresses', async () => {
    expect((await policy(false).check('https://8.8.8.8:8443/metrics?x=1')).ok).toBe(true);
  });

  it.each([
    ['file:///etc/passwd', 'http or https'],
    ['gopher://8.8.8.8/', 'http or https'],
    ['https://u:p@8.8.8.8/', 'credentials'],
    ['http://localhost/', 'loopback'],
    ['http://[::1]:80/', 'loopback'],
    ['nonsense', 'valid absolute URL'],
  ])('refuses %s', async (url, reason) => {
    const result = await policy(false).check(url);
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.reason).toContain(reason);
  });

  it('refuses metadata forms with private targets allowed, without echoing a resolved address', async () => {
    const result = await policy(true).check('http://localhost.metadata.invalid.localhost/');
    expect(result.ok).toBe(true); // *.localhost is loopback (RFC 6761), allowed here
    const refused = await policy(true).check('http://[::ffff:a9fe:a9fe]/latest/meta-data');
    expect(refused).toEqual({ ok: false, reason: expect.stringContaining('metadata') });
  });
});

describe('redactAddresses', () => {
  it('takes IPv4 and IPv6 addresses out of socket errors', () => {
    expect(redactAddresses('connect EHOSTUNREACH 10.0.0.7:80')).toBe('connect EHOSTUNREACH <address>:80');
    expect(redactAddresses('connect ECONNREFUSED fd00::12:443')).not.toContain('fd00');
  });
});
