import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  demo,
  connectBrowser,
  signIn,
  newContext,
  sharedSabor,
  type Sabor,
} from './harness';

const run = browserAvailable();
let sabor: Sabor;
let browser: Browser;

beforeAll(async () => {
  if (!run) return;
  sabor = sharedSabor();
  browser = await connectBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Reads the verification link mailed to `email` from the admin Outbox page, as an operator would. */
async function verificationLinkFromOutbox(
  email: string,
  javaScriptEnabled: boolean,
): Promise<string> {
  const { context } = await newContext(browser, sabor, { javaScriptEnabled });
  const page = await context.newPage();
  await signIn(page, demo.admin.email, demo.admin.password);
  await page.goto(`/admin/outbox?to=${encodeURIComponent(email)}`);
  await page.locator('main table a').first().click();
  await page.waitForURL(/\/admin\/outbox\/[0-9a-f-]{36}/);
  const text = await page.locator('main pre').innerText();
  await context.close();
  const link = /https?:\/\/\S+\/verify-email\?token=[a-z0-9]+/.exec(text)?.[0];
  if (!link) throw new Error(`no verification link in mail:\n${text}`);
  return link;
}

describe.skipIf(!run).each([
  { javaScriptEnabled: true, label: 'with JavaScript' },
  { javaScriptEnabled: false, label: 'without JavaScript' },
])('a resident $label', ({ javaScriptEnabled }) => {
  it('registers, confirms the email from the outbox link, signs in, switches language and signs out', async () => {
    const { context, cspViolations } = await newContext(browser, sabor, { javaScriptEnabled });
    const page = await context.newPage();
    const email = `e2e-${javaScriptEnabled ? 'js' : 'nojs'}-${Date.now()}@example.bg`;
    const password = 'липов-цвят-2026';

    await page.goto('/register');
    expect(await page.getAttribute('html', 'lang')).toBe('bg');
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=displayName]').fill('Радка Пиратка');
    await page.locator('input[name=password]').fill('short');
    await page.locator('main form button[type=submit]').click();
    // The error appears next to the field, in Bulgarian.
    await expect.poll(() => page.locator('#password-error').innerText()).toContain('поне 10 знака');
    await page.locator('input[name=password]').fill(password);
    await page.locator('main form button[type=submit]').click();
    await page.waitForURL((url) => url.pathname !== '/register');

    const link = await verificationLinkFromOutbox(email, javaScriptEnabled);
    await page.goto(link);
    await page.locator('main form button[type=submit]').click();
    await expect.poll(() => page.locator('main').innerText()).toContain('потвърден');

    await page.goto('/account');
    await expect.poll(() => page.locator('main').innerText()).toContain('Потвърден');

    // Sign out, then in again.
    await page.goto('/logout');
    await page.locator('main form button[type=submit]').click();
    await page.waitForURL((url) => url.pathname !== '/logout');
    await page.goto('/account');
    expect(new URL(page.url()).pathname).toBe('/login');
    await signIn(page, email, password);

    // Switch to English with the visible switch; the choice persists across pages.
    await page.locator('form.language-switch button').click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    await page.goto('/account');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect.poll(() => page.locator('main').innerText()).toContain('Confirmed');

    await page.goto('/logout');
    await page.locator('main form button[type=submit]').click();
    await page.waitForURL((url) => url.pathname !== '/logout');
    await page.goto('/account');
    expect(new URL(page.url()).pathname).toBe('/login');

    expect(cspViolations).toEqual([]);
    await context.close();
  });
});
