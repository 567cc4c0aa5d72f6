import { Browser, Page } from 'playwright-core';
import { launch, screenshot, signIn, signOut } from './support/browser';
import { Product, startProduct } from './support/product';

const MEMBER = { email: 'demo@seqpulse.local', password: 'seqpulse-demo-2026' };
const ADMIN = { email: 'admin@seqpulse.local', password: 'seqpulse-admin-demo' };

let product: Product;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  product = await startProduct();
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
}, 480_000);

afterAll(async () => {
  await browser?.close();
  await product?.stop();
});

describe('the account lifecycle in the dashboard (real product, real browser)', () => {
  it('serves the dashboard under its Content-Security-Policy without a single violation', async () => {
    const res = await fetch(`${product.baseUrl}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    await signIn(page, product.baseUrl, ADMIN.email, ADMIN.password);
    // The stylesheet is switched on by the build's inline onload handler, which the policy allows by its hash.
    await page.waitForFunction(() => [...document.styleSheets].some((s) => s.href?.includes('styles-') && s.media.mediaText === 'all'));
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  });

  it('lets an administrator disable a member, who is then signed out, and enable them again', async () => {
    await page.goto(`${product.baseUrl}/app/admin/users`);
    const row = page.locator(`tr[data-user="${MEMBER.email}"]`);
    await row.waitFor();
    await screenshot(page, 'admin-users');
    await row.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('their sessions and API keys stop working now').waitFor();
    const refused = await fetch(`${product.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(MEMBER),
    });
    expect(refused.status).toBe(401);
    await row.getByRole('button', { name: 'Enable' }).click();
    await page.getByText(`${MEMBER.email} is enabled again`).waitFor();
  });

  it('changes my password from the account page; signing out everywhere ends the session', async () => {
    await signOut(page);
    await signIn(page, product.baseUrl, MEMBER.email, MEMBER.password);
    await page.locator('a.user-email').click();
    await page.waitForURL(/\/app\/account/);
    await page.getByLabel('Current password').fill(MEMBER.password);
    await page.getByLabel('New password', { exact: true }).fill('a-brand-new-demo-password');
    await page.getByLabel('Repeat the new password').fill('a-brand-new-demo-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Your other sessions were signed out').waitFor();
    await screenshot(page, 'account');
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(/\/app\/login/);
    await signIn(page, product.baseUrl, MEMBER.email, 'a-brand-new-demo-password');
    expect(consoleErrors.filter((e) => !/401|Unauthorized/.test(e))).toEqual([]);
  });
});
