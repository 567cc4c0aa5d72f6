import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { launch, screenshot, signIn, signOut } from './support/browser';
import { Product, ROOT, startProduct } from './support/product';

const MEMBER = { email: 'demo@seqpulse.local', password: 'seqpulse-demo-2026' };
const ADMIN = { email: 'admin@seqpulse.local', password: 'seqpulse-admin-demo' };

let product: Product;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const consoleErrors: string[] = [];
const foreignRequests: string[] = [];

function isTimeseries(r: Request): boolean {
  return new URL(r.url()).pathname === '/monitoring/enterprise/timeseries';
}

async function projectId(name: string, as = MEMBER): Promise<string> {
  const login = await fetch(`${product.baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(as),
  });
  const { access_token } = (await login.json()) as { access_token: string };
  const path = as === ADMIN ? '/admin/projects' : '/projects';
  const res = await fetch(`${product.baseUrl}${path}`, { headers: { authorization: `Bearer ${access_token}` } });
  const list = (await res.json()) as { id: string; name: string }[];
  const found = list.find((p) => p.name === name);
  if (!found) throw new Error(`no project ${name}`);
  return found.id;
}

/** Five chart cards, each drawn (svg) and showing a latest value (not the "—" of an empty series). */
async function waitForFiveChartsWithData(timeout = 120_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const cards = [...document.querySelectorAll('app-metric-chart')];
      return (
        cards.length === 5 &&
        cards.every((c) => c.querySelector('svg') && (c.querySelector('.latest')?.textContent ?? '—').trim() !== '—')
      );
    },
    null,
    { timeout, polling: 500 },
  );
}

async function liveSamples(): Promise<number> {
  const value = await page.getAttribute('[data-live-samples]', 'data-live-samples');
  return Number(value ?? 0);
}

beforeAll(async () => {
  product = await startProduct();
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('request', (r) => {
    const host = new URL(r.url()).hostname;
    if (!['127.0.0.1', 'localhost'].includes(host) && !r.url().startsWith('data:')) foreignRequests.push(r.url());
  });
}, 480_000);

afterAll(async () => {
  await browser?.close();
  await product?.stop();
});

describe('SeqPulse dashboard in Chromium', () => {
  it('signs in and lists the demo projects', async () => {
    await page.goto(`${product.baseUrl}/`);
    await page.waitForURL(/\/app\/login/);
    await screenshot(page, 'sign-in');
    await signIn(page, product.baseUrl, MEMBER.email, MEMBER.password);
    for (const name of ['Checkout API', 'Search API', 'Billing', 'Blog']) {
      await page.getByRole('link', { name: `Open monitoring of ${name}` }).waitFor();
    }
    await screenshot(page, 'projects');
  });

  it('shows five charts with data for Checkout API', async () => {
    await page.getByRole('link', { name: 'Open monitoring of Checkout API' }).click();
    await page.waitForURL(/\/app\/projects\/[^/?]+/);
    await waitForFiveChartsWithData();
    const titles = await page.locator('app-metric-chart h2').allTextContents();
    expect(titles.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      'Requests/sec (req/s)',
      'Latency P95 (ms)',
      'Error rate (%)',
      'CPU (%)',
      'Memory (%)',
    ]);
    await page.waitForSelector('[data-testid="stream-status"][data-status="open"]', { timeout: 30_000 });
    await screenshot(page, 'monitoring');
  });

  it('changing env and phase changes the request, and the link reopens the same view', async () => {
    const envRequest = page.waitForRequest(
      (r) => isTimeseries(r) && new URL(r.url()).searchParams.get('env') === 'staging',
    );
    await page.getByLabel('Environment').selectOption('staging');
    await envRequest;
    const phaseRequest = page.waitForRequest(
      (r) =>
        isTimeseries(r) &&
        new URL(r.url()).searchParams.get('env') === 'staging' &&
        new URL(r.url()).searchParams.get('phase') === 'post',
    );
    await page.getByLabel('Post-deploy').check();
    await phaseRequest;
    await page.waitForURL(/env=staging/);
    expect(page.url()).toMatch(/phase=post/);

    const rangeRequest = page.waitForRequest((r) => isTimeseries(r) && new URL(r.url()).searchParams.get('step') === '60s');
    await page.getByRole('button', { name: '24 h' }).click();
    await rangeRequest;
    expect(page.url()).toMatch(/range=24h/);

    // the link alone reopens the same view
    const link = page.url();
    const again = await context.newPage();
    const reopened = again.waitForRequest(isTimeseries);
    await again.goto(link);
    const params = new URL((await reopened).url()).searchParams;
    expect([params.get('env'), params.get('phase'), params.get('step')]).toEqual(['staging', 'post', '60s']);
    expect(await again.getByLabel('Environment').inputValue()).toBe('staging');
    expect(await again.getByLabel('Post-deploy').isChecked()).toBe(true);
    expect(await again.getByRole('button', { name: '24 h' }).getAttribute('aria-pressed')).toBe('true');
    await again.close();
  });

  it('a new live point arrives without a reload', async () => {
    const id = await projectId('Checkout API');
    await page.goto(`${product.baseUrl}/app/projects/${id}?range=15m`);
    await waitForFiveChartsWithData();
    await page.waitForSelector('[data-testid="stream-status"][data-status="open"]', { timeout: 30_000 });
    await page.evaluate(() => ((window as unknown as Record<string, unknown>)['__noReload'] = true));
    const before = await liveSamples();
    const timeseriesCalls: string[] = [];
    const onRequest = (r: Request) => {
      if (isTimeseries(r)) timeseriesCalls.push(r.url());
    };
    page.on('request', onRequest);
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-live-samples]')?.getAttribute('data-live-samples') ?? 0) > n,
      before,
      { timeout: 60_000, polling: 250 },
    );
    page.off('request', onRequest);
    expect(await page.evaluate(() => (window as unknown as Record<string, unknown>)['__noReload'])).toBe(true);
    expect(timeseriesCalls).toEqual([]); // appended from the stream, not refetched
    expect(await page.textContent('[data-testid="last-sample"]')).toMatch(/Last sample \d+ s ago/);
  });

  it('a free project shows the explanation, not charts', async () => {
    await page.goto(`${product.baseUrl}/app/projects`);
    await page.getByRole('link', { name: 'Open monitoring of Blog' }).click();
    await page.getByRole('heading', { name: 'Realtime monitoring needs the Enterprise plan' }).waitFor();
    expect(await page.locator('app-metric-chart').count()).toBe(0);
    expect(await page.textContent('app-refusal')).toContain('Free');
    await screenshot(page, 'refusal-free');
    await page.goto(`${product.baseUrl}/app/projects/${await projectId('Search API')}`);
    await page.getByRole('heading', { name: 'Realtime is not enabled for this project yet' }).waitFor();
    await screenshot(page, 'refusal-not-enabled');
  });

  it('as admin, adding Search API to the pilot makes its charts appear', async () => {
    await signOut(page);
    await signIn(page, product.baseUrl, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Projects and plans' }).waitFor();
    await page.locator('tr[data-project="Blog"]').waitFor();
    await screenshot(page, 'admin-projects');
    await page.getByRole('link', { name: 'Rollout' }).click();
    const search = page.locator('input[data-project="Search API"]');
    await search.waitFor();
    expect(await search.isChecked()).toBe(false);
    await search.check();
    await page.getByRole('button', { name: 'Save rollout' }).click();
    await page.getByText('Rollout saved').waitFor();
    await screenshot(page, 'admin-rollout');

    await page.goto(`${product.baseUrl}/app/projects/${await projectId('Search API', ADMIN)}`);
    await page.waitForFunction(() => document.querySelectorAll('app-metric-chart svg').length === 5, null, {
      timeout: 60_000,
    });
    expect(await page.locator('app-refusal').count()).toBe(0);
    await waitForFiveChartsWithData(120_000);
  });

  it('as admin, creates a key (secret shown once) and revokes it', async () => {
    await page.goto(`${product.baseUrl}/app/admin/keys`);
    await page.getByLabel('Name').fill('e2e-ci');
    await page.locator('input[data-scope="deployments:write"]').check();
    await page.getByLabel('Only these projects:').check();
    await page.locator('input[data-project="Checkout API"]').check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = page.getByTestId('new-key');
    await secret.waitFor();
    const key = await secret.inputValue();
    expect(key).toMatch(/^sp_/);
    await page.getByRole('button', { name: /^Copy/ }).waitFor();
    await screenshot(page, 'api-keys-created');
    const works = await fetch(`${product.baseUrl}/api-keys`, { headers: { 'X-API-Key': key } });
    expect(works.status).not.toBe(401);
    await page.getByRole('button', { name: /I have stored it/ }).click();
    expect(await page.getByTestId('new-key').count()).toBe(0);

    const row = page.locator('tr[data-key="e2e-ci"]');
    await row.getByRole('button', { name: 'Revoke key e2e-ci' }).click();
    await row.getByRole('button', { name: 'Confirm revoke' }).click();
    await row.getByText('revoked').waitFor();
    const refused = await fetch(`${product.baseUrl}/api-keys`, { headers: { 'X-API-Key': key } });
    expect(refused.status).toBe(401);
    await screenshot(page, 'api-keys');
  });

  it('as admin, reads access records and scheduler health', async () => {
    await page.goto(`${product.baseUrl}/app/admin/audit`);
    await page.locator('table tbody tr').first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'admin-audit');
    await page.goto(`${product.baseUrl}/app/admin/health`);
    await page.getByTestId('scheduler-status').waitFor();
    await screenshot(page, 'admin-health');
  });

  it('stays readable in a narrow window and in the dark theme', async () => {
    const narrow = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    const p = await narrow.newPage();
    await signIn(p, product.baseUrl, MEMBER.email, MEMBER.password);
    await p.goto(`${product.baseUrl}/app/projects/${await projectId('Checkout API')}`);
    await p.waitForFunction(() => document.querySelectorAll('app-metric-chart svg').length === 5, null, {
      timeout: 60_000,
    });
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await p.screenshot({ path: join(ROOT, 'docs/screenshots/monitoring-narrow-dark.png'), fullPage: false });
    await narrow.close();
  });

  it('measures first chart on a cold load (24 h at 60 s) and a live update on 7 days at 1 h', async () => {
    const login = await fetch(`${product.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(MEMBER),
    });
    const session = (await login.json()) as { access_token: string; expires_in: number };
    const cold = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await cold.addInitScript((s) => {
      localStorage.setItem('seqpulse.session', JSON.stringify({ token: s.access_token, expiresAt: Date.now() + 3600_000 }));
      const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    }, session);
    const p = await cold.newPage();
    const id = await projectId('Checkout API');
    await p.goto(`${product.baseUrl}/app/projects/${id}?range=24h&step=60s`);
    await p.waitForFunction(
      () => [...document.querySelectorAll('app-metric-chart svg')].filter((s) => s.querySelectorAll('path').length > 2).length === 5,
      null,
      { timeout: 60_000, polling: 'raf' },
    );
    const firstChartMs = await p.evaluate(() => Math.round(performance.now()));

    await p.goto(`${product.baseUrl}/app/projects/${id}?range=7d&step=1h`);
    await p.waitForFunction(() => document.querySelectorAll('app-metric-chart svg').length === 5, null, { timeout: 60_000 });
    await p.waitForSelector('[data-testid="stream-status"][data-status="open"]', { timeout: 30_000 });
    const mark = await p.evaluate(() => performance.now());
    const before = Number((await p.getAttribute('[data-live-samples]', 'data-live-samples')) ?? 0);
    await p.waitForFunction(
      (n) => Number(document.querySelector('[data-live-samples]')?.getAttribute('data-live-samples') ?? 0) > n,
      before,
      { timeout: 60_000, polling: 100 },
    );
    await p.waitForTimeout(500);
    const longTasks = await p.evaluate(
      (m) =>
        (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter(
          (t) => t.start >= m,
        ),
      mark,
    );
    const figures = {
      measured_at: new Date().toISOString(),
      cold_first_chart_24h_60s_ms: firstChartMs,
      live_point_7d_1h_long_tasks: longTasks.map((t) => Math.round(t.duration)),
      live_point_7d_1h_max_long_task_ms: longTasks.length ? Math.round(Math.max(...longTasks.map((t) => t.duration))) : 0,
    };
    mkdirSync(join(ROOT, 'dist/dashboard-e2e'), { recursive: true });
    writeFileSync(join(ROOT, 'dist/dashboard-e2e/perf.json'), JSON.stringify(figures, null, 2));
    console.log('dashboard performance', figures);
    await cold.close();
    expect(firstChartMs).toBeGreaterThan(0);
  });

  it('made no request outside the product and logged no error', () => {
    expect(foreignRequests).toEqual([]);
    expect(consoleErrors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  });
});
