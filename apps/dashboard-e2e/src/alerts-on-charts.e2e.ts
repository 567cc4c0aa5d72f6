import { Browser, Page } from 'playwright-core';
import { launch, screenshot, signIn } from './support/browser';
import { Product, startProduct } from './support/product';

/**
 * Alerts on the charts and the alert history (issue 13), in Chromium against the real demo product. The test gives
 * the pilot project's staging env an error-rate rule with a warning level and a 1-minute window, forces the demo
 * fleet's `error_burst` on `checkout-staging` for a minute and a half: the alert opens at warning, escalates to
 * critical and resolves once the burst is over. Then: its firing periods are shaded on the error-rate chart (and
 * only there), a silence is shaded on the latency chart, clicking the alert in the panel moves the range around
 * it, and the history screen filters it and shows its timeline.
 */
const MEMBER = { email: 'demo@seqpulse.local', password: 'seqpulse-demo-2026' };
const SILENCE_COMMENT = 'e2e: load test on staging';

let product: Product;
let browser: Browser;
let page: Page;
let token = '';
let projectId = '';
const consoleErrors: string[] = [];

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${product.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

interface HistoryAlert {
  id: string;
  state: string;
  started_at: string;
  resolved_at: string | null;
  timeline: { kind: string; level?: string }[];
}

const chartLabel = (metric: string) =>
  page.locator(`section.chart-card[data-metric="${metric}"] .chart[role="img"]`).getAttribute('aria-label');

beforeAll(async () => {
  product = await startProduct();
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1100 } })).newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  const login = await fetch(`${product.baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(MEMBER),
  });
  token = ((await login.json()) as { access_token: string }).access_token;
  const projects = (await call('GET', '/projects')) as { id: string; name: string }[];
  projectId = projects.find((p) => p.name === 'Checkout API')?.id ?? '';
}, 480_000);

afterAll(async () => {
  await fetch(`${product?.fleetUrl}/control/targets/checkout-staging/mode`, { method: 'DELETE' }).catch(() => undefined);
  await browser?.close();
  await product?.stop();
});

describe('alerts on the charts and the alert history', () => {
  let alert: HistoryAlert;

  it('an alert that fired and resolved is shaded on its chart by level, a silence on its own chart', async () => {
    expect(projectId).not.toBe('');
    await call('PUT', `/monitoring/enterprise/alert-rules?project_id=${projectId}`, {
      rules: [{ rule: 'error_rate_high', env: 'staging', threshold: 0.06, warning: 0.01, window_min: 1 }],
    });
    const now = Date.now();
    await call('POST', `/monitoring/enterprise/silences?project_id=${projectId}`, {
      env: 'staging',
      rule: 'latency_p95_high',
      starts_at: new Date(now).toISOString(),
      ends_at: new Date(now + 30 * 60_000).toISOString(),
      comment: SILENCE_COMMENT,
    });

    await signIn(page, product.baseUrl, MEMBER.email, MEMBER.password);
    await page.goto(`${product.baseUrl}/app/projects/${projectId}?env=staging&range=15m`);
    await page.waitForSelector('.stream-status[data-status="open"]', { timeout: 120_000 });
    // the silence is shaded on the latency chart only
    await page.waitForFunction(
      (comment) =>
        document
          .querySelector('section.chart-card[data-metric="latency_p95"] .chart[role="img"]')
          ?.getAttribute('aria-label')
          ?.includes(`Silence: ${comment}: silenced`),
      SILENCE_COMMENT,
      { timeout: 30_000, polling: 500 },
    );
    expect(await chartLabel('error_rate')).not.toContain('Silence');

    const forced = await fetch(`${product.fleetUrl}/control/targets/checkout-staging/mode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ mode: 'error_burst', duration_s: 90 }),
    });
    expect(forced.status).toBeLessThan(300);
    await page.locator('.alert-item.firing[data-rule="error_rate_high"]').waitFor({ timeout: 120_000 });
    // the burst ends, the 1-minute mean falls back: resolved, live
    await page.locator('.alert-item.resolved[data-rule="error_rate_high"]').first().waitFor({ timeout: 240_000 });

    const history = (await call(
      'GET',
      `/monitoring/enterprise/alert-history?project_id=${projectId}&env=staging&rule=error_rate_high&limit=1`,
    )) as HistoryAlert[];
    alert = history[0];
    expect(alert.state).toBe('resolved');
    expect(alert.timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['opened', 'escalated', 'resolved']));
    expect(alert.timeline.find((e) => e.kind === 'opened')?.level).toBe('warning');

    // its warning part and its critical part on the error-rate chart, nothing on the others
    await page.waitForFunction(
      () => {
        const label = document.querySelector('section.chart-card[data-metric="error_rate"] .chart[role="img"]')?.getAttribute('aria-label');
        return (
          !!label &&
          label.includes('Alert Error rate high · staging: warning') &&
          label.includes('Alert Error rate high · staging: critical')
        );
      },
      undefined,
      { timeout: 30_000, polling: 500 },
    );
    for (const metric of ['requests_per_sec', 'latency_p95', 'cpu_usage', 'memory_usage']) {
      expect(await chartLabel(metric)).not.toContain('Alert Error rate high');
    }
  }, 480_000);

  it('clicking the alert in the panel moves the range around it (in the URL)', async () => {
    await page.locator('.alert-item.resolved[data-rule="error_rate_high"] button').first().click();
    await page.waitForURL(/[?&]from=/);
    const url = new URL(page.url());
    const margin = 15 * 60_000;
    expect(Date.parse(url.searchParams.get('from') as string)).toBe(Date.parse(alert.started_at) - margin);
    const to = Date.parse(url.searchParams.get('to') as string);
    // resolution + 15 minutes, never past now (the alert resolved a moment ago: in the same second, the range ends at it)
    expect(to).toBeGreaterThanOrEqual(Date.parse(alert.resolved_at as string));
    expect(to).toBeLessThanOrEqual(Math.min(Date.parse(alert.resolved_at as string) + margin, Date.now()));
    expect(url.searchParams.get('env')).toBe('staging');
    await page.waitForFunction(
      () =>
        document
          .querySelector('section.chart-card[data-metric="error_rate"] .chart[role="img"]')
          ?.getAttribute('aria-label')
          ?.includes('Alert Error rate high · staging: critical'),
      undefined,
      { timeout: 30_000, polling: 500 },
    );
  }, 120_000);

  it('the history screen filters the alerts and shows the timeline of one; it opens the charts at its range', async () => {
    await page.getByRole('link', { name: 'Alert history' }).click();
    await page.waitForURL(/\/alerts\?env=staging/);
    await page.locator('app-history-filters select[name="rule"]').selectOption('error_rate_high');
    await page.waitForURL(/rule=error_rate_high/);
    await page.locator('app-history-filters select[name="state"]').selectOption('resolved');
    await page.waitForURL(/state=resolved/);
    const item = page.locator(`.history-item[data-rule="error_rate_high"]`).first();
    await item.waitFor({ timeout: 30_000 });
    expect(await page.locator('.history-item').evaluateAll((items) => items.map((i) => i.getAttribute('data-rule')))).not.toContain(
      'latency_p95_high',
    );
    await item.click();
    await page.waitForURL(new RegExp(`alert=${alert.id}`));
    const timeline = page.locator('app-alert-timeline');
    await timeline.locator('.timeline-entry[data-kind="resolved"]').waitFor({ timeout: 30_000 });
    const kinds = await timeline.locator('.timeline-entry').evaluateAll((entries) => entries.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(alert.timeline.map((e) => e.kind));
    expect(await timeline.locator('.timeline-entry[data-kind="opened"]').textContent()).toContain('Opened at warning');
    expect(await timeline.locator('.timeline-entry[data-kind="escalated"]').first().textContent()).toContain('Escalated to critical');

    // the filters and the open alert are in the URL: a reload shows the same
    await page.reload();
    await timeline.locator('.timeline-entry[data-kind="resolved"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('app-history-filters select[name="state"]').inputValue()).toBe('resolved');
    await page.waitForTimeout(500);
    await screenshot(page, 'alert-history', false);

    await timeline.getByRole('button', { name: 'Show on the charts' }).click();
    await page.waitForURL(new RegExp(`/app/projects/${projectId}\\?`));
    const url = new URL(page.url());
    expect(url.searchParams.get('env')).toBe('staging');
    expect(Date.parse(url.searchParams.get('from') as string)).toBe(Date.parse(alert.started_at) - 15 * 60_000);
    await page.locator('app-metric-chart').first().waitFor();
    expect(consoleErrors).toEqual([]);
  }, 180_000);
});
