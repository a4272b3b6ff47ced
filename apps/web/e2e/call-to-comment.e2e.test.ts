import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  demo,
  connectBrowser,
  newContext,
  signIn,
  openConsultationId,
  sharedSabor,
  waitForHydration,
  type Sabor,
} from './harness';

/** A phone and a desktop screen: the call to comment must be on the first one of each. */
const screens = [
  { width: 320, height: 568 },
  { width: 1280, height: 900 },
];

/** What the keyboard is on: the focused element's id and, for a text box, its text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return {
      id: element?.id ?? '',
      value: element instanceof HTMLTextAreaElement ? element.value : null,
      text: element?.textContent ?? '',
    };
  });

describe.runIf(browserAvailable())('the call to comment on an open consultation', () => {
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

  for (const [javaScript, locale] of [
    [true, 'bg'],
    [true, 'en'],
    [false, 'bg'],
    [false, 'en'],
  ] as const) {
    it(`is on the first screen and leads the keyboard into an empty comment box (${locale}, ${javaScript ? 'with' : 'without'} JavaScript)`, async () => {
      const { context } = await newContext(browser, sabor, {
        locale,
        javaScriptEnabled: javaScript,
      });
      const page = await context.newPage();
      await signIn(page, demo.resident.email, demo.resident.password);
      for (const screen of screens) {
        await page.setViewportSize(screen);
        await page.goto(path);
        if (javaScript) await waitForHydration(page);
        const call = page.locator('.call-to-comment a.button');
        const box = await call.boundingBox();
        expect(box, `${screen.width} px`).not.toBeNull();
        expect(box!.y + box!.height, `${screen.width} px`).toBeLessThanOrEqual(screen.height);

        await call.focus();
        await page.keyboard.press('Enter');
        await expect.poll(async () => (await focused(page)).id).toBe('new-comment-body');
        expect((await focused(page)).value).toBe('');
      }
      // The thread stays one link away from the draft.
      const toThread = page.locator('#text-heading ~ .hint a[href="#comments"]');
      expect(await toThread.innerText()).toMatch(/\(\d+\)/);
      await context.close();
    });
  }

  it('sends an anonymous reader to sign in and back to the comment box', async () => {
    const { context } = await newContext(browser, sabor);
    const page = await context.newPage();
    await page.goto(path);
    const href = await page.locator('.call-to-comment a.button').getAttribute('href');
    expect(href).toContain('/login?next=');
    expect(decodeURIComponent(href!)).toContain(`${path}#new-comment-body`);
    await context.close();
  });

  it('moves focus to the posted comment and announces it (with JavaScript)', async () => {
    const { context } = await newContext(browser, sabor, { locale: 'en' });
    const page = await context.newPage();
    await signIn(page, demo.resident.email, demo.resident.password);
    await page.goto(path);
    await waitForHydration(page);
    await page.locator('#new-comment-body').fill('Focus follows what I posted');
    await page.locator('.comment-new input[name=stance][value=for]').check();
    await page.locator('.comment-new button[type=submit]').click();
    await expect.poll(async () => (await focused(page)).id).toMatch(/^comment-[0-9a-f-]{36}$/);
    expect((await focused(page)).text).toContain('Focus follows what I posted');
    expect(await page.locator('.thread-status[role=status]').innerText()).toContain(
      'Your proposal is published.',
    );
    await context.close();
  });

  it('lands on the posted comment’s anchor (without JavaScript)', async () => {
    const { context } = await newContext(browser, sabor, { javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, demo.resident.email, demo.resident.password);
    await page.goto(path);
    await page.locator('#new-comment-body').fill('Без скриптове, право на коментара');
    await page.locator('.comment-new input[name=stance][value=neutral]').check();
    await Promise.all([
      page.waitForURL((url) => url.hash.startsWith('#comment-')),
      page.locator('.comment-new button[type=submit]').click(),
    ]);
    const anchor = new URL(page.url()).hash;
    expect(await page.locator(`${anchor} .comment-body`).innerText()).toContain(
      'право на коментара',
    );
    await context.close();
  });
});
