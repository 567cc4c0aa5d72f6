import { resolveOptions } from './options';

describe('resolveOptions', () => {
  it('defaults: /seqpulse-metrics, 60 s window, contract skew window, HMAC off without a secret', () => {
    expect(resolveOptions({}, {})).toMatchObject({
      endpoint: '/seqpulse-metrics',
      hmacSecrets: [],
      maxSkewPastMs: 300_000,
      maxSkewFutureMs: 30_000,
      windowMs: 60_000,
    });
  });

  it('turns HMAC on as soon as a secret is configured, from options or SEQPULSE_HMAC_SECRET', () => {
    expect(resolveOptions({ hmacSecret: 's1' }, {}).hmacSecrets).toEqual(['s1']);
    expect(resolveOptions({}, { SEQPULSE_HMAC_SECRET: 's2' }).hmacSecrets).toEqual(['s2']);
    expect(resolveOptions({}, { SEQPULSE_HMAC_SECRET: 'new', SEQPULSE_HMAC_SECRET_PREVIOUS: 'old' }).hmacSecrets).toEqual(['new', 'old']);
    expect(resolveOptions({ hmacSecret: ['new', 'old'] }, { SEQPULSE_HMAC_SECRET: 'ignored' }).hmacSecrets).toEqual(['new', 'old']);
  });

  it.each(['SEQPULSE_HMAC_ENABLED', 'SEQPULSE_HMAC_ENABLE'])('%s=false turns verification off despite a secret', (name) => {
    expect(resolveOptions({}, { SEQPULSE_HMAC_SECRET: 's', [name]: 'false' }).hmacSecrets).toEqual([]);
  });

  it.each(['SEQPULSE_HMAC_ENABLED', 'SEQPULSE_HMAC_ENABLE'])('%s=true without a secret fails at start-up', (name) => {
    expect(() => resolveOptions({}, { [name]: 'true' })).toThrow(/no secret/);
  });

  it('lets options win over the environment', () => {
    expect(resolveOptions({ hmacEnabled: true, hmacSecret: 'x' }, { SEQPULSE_HMAC_ENABLED: 'false' }).hmacSecrets).toEqual(['x']);
  });

  it('refuses nonsense early', () => {
    expect(() => resolveOptions({}, { SEQPULSE_HMAC_ENABLED: 'maybe' })).toThrow(/true or false/);
    expect(() => resolveOptions({ endpoint: 'metrics' }, {})).toThrow(/starting with/);
    expect(() => resolveOptions({ windowSeconds: Number.NaN }, {})).toThrow(/windowSeconds/);
  });
});
