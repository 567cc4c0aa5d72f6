import { Browser, Page } from 'playwright-core';
import { launch, screenshot, signIn } from './support/browser';
import { Product, startProduct } from './support/product';

/**
 * Alert settings in the dashboard (issue 13), in Chromium against the real demo product: from the monitoring page
 * to the project's alert settings; a warning threshold with a recovery (a recovery on the firing side is refused
 * next to its field before anything is sent); a silence created and ended early; a weekly maintenance window in
 * a chosen time zone; then a reload shows all of it as the server stored it.
 */
const MEMBER = { email: 'demo@seqpulse.local', password: 'seqpulse-demo-2026' };

let product: Product;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  product = await startProduct();
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1400, height: 1100 }, timezoneId: 'Europe/Berlin' })).newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
}, 480_000);

afterAll(async () => {
  await browser?.close();
  await product?.stop();
});

describe('alert settings in the dashboard', () => {
  it('edits a rule, a silence and a maintenance window, and finds them again after a reload', async () => {
    await signIn(page, product.baseUrl, MEMBER.email, MEMBER.password);
    await page.goto(`${product.baseUrl}/app/projects`);
    await page
      .getByRole('link', { name: /Checkout API/ })
      .first()
      .click();
    await page.getByRole('link', { name: 'Alert settings' }).click();
    await page.waitForURL(/\/alert-settings$/);
    const cpu = page.locator('app-rule-settings [data-rule="cpu_high"]');
    await cpu.waitFor();
    // defaults are shown as defaults
    expect(await cpu.locator('[data-field="threshold"]').textContent()).toContain('default 80 %');
    expect(await cpu.locator('[data-field="warning"]').textContent()).toContain('off by default');

    // a warning threshold and a recovery on the wrong side: refused next to the field, nothing can be saved
    await cpu.getByLabel('Warning threshold (%)').fill('70');
    await cpu.getByLabel('Critical recovery (%)').fill('90');
    const problem = cpu.locator('[data-field="recovery.critical"] [role="alert"]');
    expect(await problem.textContent()).toContain('Recovery must be at or below the critical threshold (80 %).');
    const save = page.getByRole('button', { name: 'Save rules' });
    expect(await save.isDisabled()).toBe(true);
    await cpu.getByLabel('Critical recovery (%)').fill('75');
    await cpu.getByLabel('Warning recovery (%)').fill('65');
    expect(await problem.count()).toBe(0);
    await save.click();
    await page.getByText('Rules saved.').waitFor();

    // a silence of CPU high on every env, then ended early (by whom is shown)
    const silences = page.locator('app-silences');
    await silences.getByLabel('Rule').selectOption('cpu_high');
    await silences.getByLabel('Comment').fill('e2e: load test on checkout');
    await silences.getByRole('button', { name: 'Create silence' }).click();
    const silenceRow = silences.locator('tbody tr', { hasText: 'e2e: load test on checkout' });
    await silenceRow.waitFor();
    expect(await silenceRow.getAttribute('data-state')).toBe('active');
    await silenceRow.getByRole('button', { name: 'End now' }).click();
    await silences.locator('tbody tr[data-state="ended"]', { hasText: 'e2e: load test on checkout' }).waitFor();

    // a weekly maintenance window on Sundays, 09:00 in New York
    const windows = page.locator('app-maintenance-windows');
    await windows.getByLabel('Repeats').selectOption('weekly');
    await windows.getByLabel('Sun', { exact: true }).check();
    await windows.getByLabel(/First occurrence/).fill('2026-12-06T09:00');
    await windows.getByLabel('Duration (min)').fill('90');
    await windows.getByLabel('Time zone', { exact: true }).selectOption('America/New_York');
    await windows.getByLabel('Comment').fill('e2e: weekly OS patches');
    await windows.getByRole('button', { name: 'Create window' }).click();
    const item = windows.locator('.window-item', { hasText: 'e2e: weekly OS patches' });
    await item.waitFor();
    expect(await item.textContent()).toContain('every week on Sunday');
    expect(await item.textContent()).toContain('America/New_York');
    // the next occurrences come from the API and are shown in the window's zone
    expect(await item.locator('.occurrences li').first().textContent()).toMatch(/^Sun \d+ \w+ \d{4}, 09:00–10:30$/);

    // a reload reads everything back from the server
    await page.reload();
    await cpu.waitFor();
    expect(await cpu.getByLabel('Warning threshold (%)').inputValue()).toBe('70');
    expect(await cpu.getByLabel('Critical recovery (%)').inputValue()).toBe('75');
    expect(await cpu.getByLabel('Warning recovery (%)').inputValue()).toBe('65');
    await silences.locator('tbody tr[data-state="ended"]', { hasText: 'e2e: load test on checkout' }).waitFor();
    await windows.locator('.window-item', { hasText: 'e2e: weekly OS patches' }).waitFor();
    expect(await windows.locator('.window-item', { hasText: 'e2e: weekly OS patches' }).locator('code').textContent()).toBe(
      'FREQ=WEEKLY;BYDAY=SU',
    );
    await screenshot(page, 'alert-settings');
    expect(consoleErrors).toEqual([]);
  }, 420_000);
});
