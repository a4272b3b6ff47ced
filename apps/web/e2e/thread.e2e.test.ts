import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  demo,
  connectBrowser,
  newContext,
  seriousAccessibilityViolations,
  signIn,
  openConsultationId,
  sharedSabor,
  type Sabor,
  waitForHydration,
} from './harness';

describe.runIf(browserAvailable())('live comment thread', () => {
  let sabor: Sabor;
  let browser: Browser;
  let path: string;

  beforeAll(async () => {
    sabor = sharedSabor();
    browser = await connectBrowser();
    path = `/consultations/${await openConsultationId(sabor)}`;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows a comment posted in one window to a reader in another, without a reload', async () => {
    const writer = await newContext(browser, sabor);
    const reader = await newContext(browser, sabor);
    const writerPage = await writer.context.newPage();
    const readerPage = await reader.context.newPage();
    await signIn(writerPage, demo.resident.email, demo.resident.password);
    await Promise.all([writerPage.goto(path), readerPage.goto(path)]);
    // The reader follows the thread from the bookmark the page was rendered at, once its script
    // runs (a comment posted before that is replayed).
    await readerPage.waitForFunction(() => document.querySelector('#comments') !== null);
    await waitForHydration(readerPage);

    await writerPage.locator('.comment-new input[name=stance][value=for]').check();
    await writerPage.locator('#new-comment-body').fill('Предлагам **вечерни** обсъждания на живо');
    await writerPage.locator('.comment-new button[type=submit]').click();
    // The writer's own comment appears at once, rendered from the safe Markdown subset.
    await expect
      .poll(() => writerPage.locator('.comment-list strong', { hasText: 'вечерни' }).count())
      .toBe(1);

    // Both windows are counted as people on the page.
    await readerPage.locator('.thread-presence', { hasText: '2' }).waitFor({ timeout: 20_000 });

    // The reader is told politely and the list does not move until they ask.
    const showNew = readerPage.locator('.thread-pending button');
    await showNew.waitFor({ timeout: 20_000 });
    expect(await showNew.innerText()).toContain('1');
    expect(await readerPage.locator('[aria-live=polite]').innerText()).toContain('1');
    expect(await readerPage.getByText('Предлагам вечерни обсъждания на живо').count()).toBe(0);
    await showNew.click();
    await readerPage.getByText('Предлагам вечерни обсъждания на живо').waitFor();
    expect(reader.cspViolations).toEqual([]);
    await writer.context.close();
    await reader.context.close();
  });

  it('works without JavaScript: post a proposal, support another, sort by support', async () => {
    const { context } = await newContext(browser, sabor, { javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, demo.resident.email, demo.resident.password);
    await page.goto(path);
    await page.locator('.comment-new input[name=stance][value=against]').check();
    await page.locator('#new-comment-body').fill('Без скриптове <script>alert(1)</script>');
    await Promise.all([
      page.waitForURL((url) => url.hash.startsWith('#comment-')),
      page.locator('.comment-new button[type=submit]').click(),
    ]);
    // Shown as text, never run.
    await page
      .locator('.comment-body p', { hasText: 'Без скриптове <script>alert(1)</script>' })
      .waitFor();
    expect(await page.locator('.comment-body script').count()).toBe(0);

    // Support someone else's proposal; the count goes up after the round trip.
    const other = page.locator('.comment-list > .comment-node').filter({
      hasNot: page.locator('.comment-mine'),
    });
    const supportButton = other.first().locator('form[action="?/support"] button').first();
    const before = await supportButton.innerText();
    await Promise.all([page.waitForURL(/#comment-/), supportButton.click()]);
    const after = await page
      .locator('.comment-list > .comment-node')
      .filter({ hasNot: page.locator('.comment-mine') })
      .first()
      .locator('form[action="?/support"] button')
      .first()
      .innerText();
    expect(after).not.toBe(before);

    await page.locator('#thread-order').selectOption('supported');
    await Promise.all([
      page.waitForURL(/order=supported/),
      page.locator('.thread-order button').click(),
    ]);
    const counts = await page
      .locator('.comment-list > .comment-node > article .support-count')
      .allInnerTexts();
    const numbers = counts.map((text) => Number(text.replace(/\D/g, '')));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    await context.close();
  });

  it('refuses an empty comment with a message next to the field, keeping the page', async () => {
    const { context } = await newContext(browser, sabor, { javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, demo.resident.email, demo.resident.password);
    await page.goto(path);
    await page.locator('.comment-new input[name=stance][value=neutral]').check();
    // Only spaces: the browser's "required" is satisfied, the API's trimming is not.
    await page.locator('#new-comment-body').fill('     ');
    await page.locator('.comment-new button[type=submit]').click();
    await page.locator('.error-summary').waitFor();
    expect(await page.locator('#new-comment-body').getAttribute('aria-invalid')).toBe('true');
    await context.close();
  });

  for (const locale of ['bg', 'en'] as const) {
    it(`has no serious accessibility problems on the thread (${locale}, signed in)`, async () => {
      const { context } = await newContext(browser, sabor, { locale });
      const page = await context.newPage();
      await signIn(page, demo.resident.email, demo.resident.password);
      await page.goto(path);
      await page.locator('.comment-list details.comment-action summary').first().click();
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await context.close();
    });
  }
});
