import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  browserAvailable,
  demo,
  connectBrowser,
  newContext,
  signIn,
  openConsultationId,
  startSabor,
  waitForHydration,
  type Sabor,
} from './harness';

/** The sentence that says when a new account may post again, in each language. */
const retrySentence = {
  bg: /Можете да публикувате отново в \d{2}:\d{2} \(след \d+ минут/,
  en: /You can post again at \d{2}:\d{2} \(in \d+ minutes?\)/,
};

describe.runIf(browserAvailable())('the posting limit for new accounts', () => {
  let sabor: Sabor;
  let browser: Browser;
  let path: string;

  beforeAll(async () => {
    [sabor, browser] = await Promise.all([startSabor(), connectBrowser()]);
    path = `/consultations/${await openConsultationId(sabor)}`;
    // One comment a minute for accounts younger than a day.
    const asAdmin = await apiAs(sabor, demo.admin);
    const settings = await asAdmin<Record<string, unknown>>('GET', '/api/moderation/settings');
    await asAdmin('PUT', '/api/moderation/settings', {
      ...settings,
      newAccountHours: 24,
      newAccountHeldComments: 0,
      newAccountPerMinute: 1,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await sabor?.stop();
  });

  for (const [javaScript, locale] of [
    [true, 'en'],
    [false, 'bg'],
  ] as const) {
    it(`says when a new account can post again (${locale}, ${javaScript ? 'with' : 'without'} JavaScript)`, async () => {
      const account = {
        email: `new-${locale}-${javaScript ? 'js' : 'html'}@example.test`,
        password: 'a-new-residents-password',
      };
      const registered = await fetch(`${sabor.origin}/api/auth/register`, {
        method: 'POST',
        headers: { origin: sabor.origin, 'content-type': 'application/json' },
        body: JSON.stringify({ ...account, displayName: 'Нов Жител' }),
      });
      expect(registered.status).toBeLessThan(300);
      const { context } = await newContext(browser, sabor, {
        locale,
        javaScriptEnabled: javaScript,
      });
      const page = await context.newPage();
      await signIn(page, account.email, account.password);

      for (const body of ['Първото ми предложение', 'Второто веднага след него']) {
        await page.goto(path);
        if (javaScript) await waitForHydration(page);
        await page.locator('#new-comment-body').fill(body);
        await page.locator('.comment-new input[name=stance][value=for]').check();
        await page.locator('.comment-new button[type=submit]').click();
        await page
          .locator('.comment-list .comment-body', { hasText: body })
          .or(page.locator('.comment-new .error-summary'))
          .first()
          .waitFor();
      }
      const summary = page.locator('.comment-new .error-summary');
      expect(await summary.innerText()).toMatch(retrySentence[locale]);
      // What they wrote is kept for when they may post it.
      expect(await page.locator('#new-comment-body').inputValue()).toBe(
        'Второто веднага след него',
      );
      await context.close();
    });
  }
});
