import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  demo,
  connectBrowser,
  signIn,
  newContext,
  seriousAccessibilityViolations,
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

const publicPages = [
  '/',
  '/register',
  '/login',
  '/forgot-password',
  '/reset-password?token=abcdefghijklmnopqrstuvwxyz234567',
  '/verify-email?token=abcdefghijklmnopqrstuvwxyz234567',
  '/setup?token=abcdefghijklmnopqrstuvwxyz234567',
  '/privacy',
  '/accessibility',
  '/consultations',
  '/surveys',
  '/language',
  '/no-such-page',
];
const residentPages = ['/account', '/account/sessions', '/account/data', '/logout'];
const adminPages = [
  '/admin/users',
  '/admin/outbox',
  '/admin/consultations',
  '/admin/consultations/new',
  '/admin/surveys',
  '/admin/surveys/new',
];

async function audit(page: Page, path: string) {
  await page.goto(path);
  const violations = await seriousAccessibilityViolations(page);
  return violations.map(
    (v) =>
      `${path}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

describe.skipIf(!run).each(['bg', 'en'] as const)('accessibility in %s', (locale) => {
  it('has no serious or critical axe violations on public pages, and no CSP violations', async () => {
    const { context, cspViolations } = await newContext(browser, sabor, { locale });
    const page = await context.newPage();
    const problems: string[] = [];
    for (const path of publicPages) problems.push(...(await audit(page, path)));
    expect(await page.getAttribute('html', 'lang')).toBe(locale);
    expect(problems).toEqual([]);
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('has none on a resident’s account pages', async () => {
    const { context, cspViolations } = await newContext(browser, sabor, { locale });
    const page = await context.newPage();
    await signIn(page, demo.resident.email, demo.resident.password);
    const problems: string[] = [];
    for (const path of residentPages) problems.push(...(await audit(page, path)));
    expect(problems).toEqual([]);
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('has none on the admin pages, including a mail in the outbox', async () => {
    const { context, cspViolations } = await newContext(browser, sabor, { locale });
    const page = await context.newPage();
    await signIn(page, demo.admin.email, demo.admin.password);
    const problems: string[] = [];
    for (const path of adminPages) problems.push(...(await audit(page, path)));
    // Make sure there is a mail to open.
    await page.goto('/forgot-password');
    await page.locator('input[name=email]').fill(demo.resident.email);
    // Wait for the form post itself: navigating away at once would abort it.
    await Promise.all([
      page.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().includes('/forgot-password'),
      ),
      page.locator('main form button[type=submit]').click(),
    ]);
    await page.goto('/admin/outbox');
    const firstMail = await page.locator('main table a').first().getAttribute('href');
    expect(firstMail).toBeTruthy();
    problems.push(...(await audit(page, firstMail!)));
    expect(problems).toEqual([]);
    expect(cspViolations).toEqual([]);
    await context.close();
  });
});

describe.skipIf(!run)('keyboard', () => {
  it('reaches the skip link first and it moves focus to the main content', async () => {
    const { context } = await newContext(browser, sabor);
    const page = await context.newPage();
    await page.goto('/');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({
      href: document.activeElement?.getAttribute('href'),
      text: document.activeElement?.textContent?.trim(),
    }));
    expect(focused.href).toBe('#main');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#main');
    await context.close();
  });

  it('signs in using the keyboard alone', async () => {
    const { context } = await newContext(browser, sabor, { locale: 'en' });
    const page = await context.newPage();
    await page.goto('/login');
    await page.locator('input[name=email]').focus();
    await page.keyboard.type(demo.resident.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(demo.resident.password);
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.goto('/account');
    expect(new URL(page.url()).pathname).toBe('/account');
    await context.close();
  });

  it('is usable at 360 px: nothing overflows horizontally', async () => {
    const { context } = await newContext(browser, sabor);
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of ['/', '/consultations', '/register', '/login', '/accessibility']) {
      await page.goto(path);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});
