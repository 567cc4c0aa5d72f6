import { ConfigError, DEMO_ADMIN, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('keeps each tier of samples its own days: raw 30, 1 min 90, 15 min 400, the former single setting naming the raw days', () => {
    expect(loadConfig({}).retention).toEqual({ raw: 30, minute: 90, quarter: 400 });
    expect(loadConfig({ SEQPULSE_RETENTION_DAYS: '45' }).retention).toEqual({ raw: 45, minute: 90, quarter: 400 });
    expect(loadConfig({ SEQPULSE_RETENTION_DAYS: '120' }).retention).toEqual({ raw: 120, minute: 120, quarter: 400 });
    expect(
      loadConfig({ SEQPULSE_RETENTION_DAYS: '45', SEQPULSE_RETENTION_RAW_DAYS: '7', SEQPULSE_RETENTION_1M_DAYS: '14' }).retention,
    ).toEqual({
      raw: 7,
      minute: 14,
      quarter: 400,
    });
    expect(() => loadConfig({ SEQPULSE_RETENTION_RAW_DAYS: '60', SEQPULSE_RETENTION_1M_DAYS: '30' })).toThrow(
      /SEQPULSE_RETENTION_1M_DAYS: must be at least/,
    );
    expect(() => loadConfig({ SEQPULSE_RETENTION_15M_DAYS: '80' })).toThrow(
      /SEQPULSE_RETENTION_15M_DAYS: must be at least the 1-minute retention \(90 days\)/,
    );
  });

  it('runs the demo on the embedded database: loopback only, private targets, the demo administrator', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.demo).toBe(true);
    expect(c.listenHost).toBe('127.0.0.1');
    expect(c.allowPrivateTargets).toBe(true);
    expect(c.SEQPULSE_ROLE).toBe('all');
    expect(c.SEQPULSE_ADMIN_EMAIL).toBe(DEMO_ADMIN.email);
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('is an empty, private-target-free product listening everywhere once DATABASE_URL is set', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://db.example/seqpulse' });
    expect(c.demo).toBe(false);
    expect(c.listenHost).toBe('0.0.0.0');
    expect(c.allowPrivateTargets).toBe(false);
    expect(c.SEQPULSE_ADMIN_EMAIL).toBeUndefined();
    expect(c.SEQPULSE_ADMIN_PASSWORD).toBeUndefined();
  });

  it('keeps the demo decision taken before main.ts points DATABASE_URL at the embedded database', () => {
    const c = loadConfig({});
    c.DATABASE_URL = 'postgres://127.0.0.1:5555/seqpulse';
    expect(c.demo).toBe(true);
  });

  it('honours explicit settings', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', SEQPULSE_DEMO: 'true' }).demo).toBe(true);
    expect(loadConfig({ SEQPULSE_DEMO: 'false' }).allowPrivateTargets).toBe(false);
    expect(loadConfig({ SEQPULSE_DEMO: 'false', SEQPULSE_ALLOW_PRIVATE_TARGETS: 'true' }).allowPrivateTargets).toBe(true);
    expect(loadConfig({ SEQPULSE_DEMO: 'false' }).SEQPULSE_ADMIN_EMAIL).toBeUndefined();
    expect(loadConfig({ HOST: '::' }).listenHost).toBe('::');
    expect(loadConfig({ SEQPULSE_ADMIN_EMAIL: '', SEQPULSE_DEMO: 'false' }).SEQPULSE_ADMIN_EMAIL).toBeUndefined();
  });

  it('derives what the process runs from SEQPULSE_ROLE', () => {
    expect(loadConfig({ SEQPULSE_ROLE: 'worker' })).toMatchObject({ runsApi: false, runsWorker: true });
    expect(loadConfig({ SEQPULSE_ROLE: 'api' })).toMatchObject({ runsApi: true, runsWorker: false });
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', SEQPULSE_ROLE: 'boss', SEQPULSE_ADMIN_PASSWORD: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty', SEQPULSE_ROLE: 'boss' })).toThrow(/PORT[\s\S]*SEQPULSE_ROLE/);
  });
});
