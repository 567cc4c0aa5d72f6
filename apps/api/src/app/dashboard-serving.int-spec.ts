import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, TestApp } from '../testing/test-app';

/** The built dashboard is served from the API's port: its files, and index.html for `/` and `/app/…`. */
describe('dashboard serving', () => {
  let t: TestApp;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seqpulse-dashboard-'));
    mkdirSync(join(dir, 'media'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>SeqPulse</title>');
    writeFileSync(join(dir, 'main-ABC123.js'), 'console.log("dashboard")');
    writeFileSync(join(dir, 'media', 'logo.svg'), '<svg/>');
    t = await startTestApp({ SEQPULSE_DASHBOARD_DIR: dir, SEQPULSE_ROLE: 'api' });
  });
  afterAll(() => t.close());

  it('serves the build files, nested ones too', async () => {
    const js = await t.call('GET', '/main-ABC123.js');
    expect(js.status).toBe(200);
    expect(js.text).toBe('console.log("dashboard")');
    expect((await t.call('GET', '/media/logo.svg')).text).toBe('<svg/>');
  });

  it('answers index.html for / and the client-side routes under /app', async () => {
    for (const path of ['/', '/app', '/app/projects/123']) {
      const res = await t.call('GET', path);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<title>SeqPulse</title>');
    }
  });

  it('leaves every other path to the API', async () => {
    expect((await t.call('GET', '/health')).body.status).toBe('ok');
    const missing = await t.call('GET', '/main-OTHER.js');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('not_found');
    expect((await t.call('POST', '/main-ABC123.js')).status).toBe(404);
  });
});
