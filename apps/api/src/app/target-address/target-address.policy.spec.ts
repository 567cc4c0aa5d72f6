import { AppConfig } from '../config/app-config';
import { isAddressAllowed, TargetAddressPolicy } from './target-address.policy';

describe('isAddressAllowed', () => {
  it.each(['8.8.8.8', '93.184.215.14', '2606:4700::1111'])('allows public %s', (ip) => {
    expect(isAddressAllowed(ip, false)).toBe(true);
  });

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '::1',
    'fe80::1',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
  ])('refuses %s by default', (ip) => {
    expect(isAddressAllowed(ip, false)).toBe(false);
  });

  it('allows loopback and private ranges only when private targets are allowed', () => {
    expect(isAddressAllowed('127.0.0.1', true)).toBe(true);
    expect(isAddressAllowed('10.0.0.5', true)).toBe(true);
  });

  it('never allows the metadata address, unspecified or multicast, even with private targets', () => {
    for (const ip of ['169.254.169.254', '0.0.0.0', '224.0.0.1', 'fd00:ec2::254', 'not-an-ip']) {
      expect(isAddressAllowed(ip, true)).toBe(false);
    }
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
});
