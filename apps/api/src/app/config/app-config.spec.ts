import { ConfigError, DEMO_ADMIN, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.SEQPULSE_DEMO).toBe(true);
    expect(c.allowPrivateTargets).toBe(true);
    expect(c.SEQPULSE_ROLE).toBe('all');
    expect(c.SEQPULSE_ADMIN_EMAIL).toBe(DEMO_ADMIN.email);
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('keeps private targets off outside the demo unless asked', () => {
    expect(loadConfig({ SEQPULSE_DEMO: 'false' }).allowPrivateTargets).toBe(false);
    expect(loadConfig({ SEQPULSE_DEMO: 'false', SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' }).allowPrivateTargets).toBe(true);
    expect(loadConfig({ SEQPULSE_DEMO: 'false' }).SEQPULSE_ADMIN_EMAIL).toBeUndefined();
  });

  it('derives what the process runs from SEQPULSE_ROLE', () => {
    expect(loadConfig({ SEQPULSE_ROLE: 'worker' })).toMatchObject({ runsApi: false, runsWorker: true });
    expect(loadConfig({ SEQPULSE_ROLE: 'api' })).toMatchObject({ runsApi: true, runsWorker: false });
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', SEQPULSE_ROLE: 'boss', SEQPULSE_ADMIN_PASSWORD: 'short' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', SEQPULSE_ROLE: 'boss' });
    } catch (e) {
      expect((e as Error).message).toContain('PORT');
      expect((e as Error).message).toContain('SEQPULSE_ROLE');
    }
  });
});
