import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  demo,
  connectBrowser,
  newContext,
  seriousAccessibilityViolations,
  signIn,
  openConsultationId,
  startSabor,
  type Sabor,
  waitForHydration,
  apiAs,
} from './harness';

/*
 * Moderation as residents and admins meet it in the pages: reporting (with and without JavaScript),
 * a hidden comment (live and after a reload), the word list and pre-moderation holding comments for
 * their authors only, the author's notices, and axe on the new pages. The steps build on each other
 * (one server, one open demo consultation), so they run in order.
 */

const run = browserAvailable();
let sabor: Sabor;
let browser: Browser;
let path: string;
let consultationId: string;
/** The comment reported without JavaScript and later hidden by a moderator. */
let reportedId = '';
const resident2 = { email: 'resident2@sabor.local', password: demo.resident.password };

/** The id of the first proposal on the page that someone else wrote and the reader may report. */
async function reportableProposal(page: Page, except: string[] = []): Promise<string> {
  const articles = page.locator('.comment-list > .comment-node > article:not(.comment-mine)');
  for (const article of await articles.all()) {
    const id = ((await article.getAttribute('id')) ?? '').replace('comment-', '');
    if (except.includes(id)) continue;
    if ((await article.locator('.comment-report details').count()) > 0) return id;
  }
  throw new Error('no proposal left to report');
}

/**
 * Opens the thread with JavaScript and waits until its script has taken over (it connects the live
 * socket when mounted), so a click on a disclosure is not undone by hydration.
 */
async function openThread(page: Page): Promise<void> {
  const connected = page.waitForEvent('websocket', { timeout: 30_000 });
  await page.goto(path);
  await connected;
}

describe.runIf(run)('moderation in the resident pages', () => {
  beforeAll(async () => {
    [sabor, browser] = await Promise.all([startSabor(), connectBrowser()]);
    consultationId = await openConsultationId(sabor);
    path = `/consultations/${consultationId}`;
  });
  afterAll(async () => {
    await browser?.close();
    await sabor?.stop();
  });

  it('reports a comment without JavaScript: "other" needs details, then the receipt', async () => {
    const { context } = await newContext(browser, sabor, { javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, demo.resident.email, demo.resident.password);
    await page.goto(path);
    reportedId = await reportableProposal(page);
    const article = page.locator(`#comment-${reportedId}`);

    await article.locator('.comment-report summary').click();
    await article.locator('input[name=reason][value=other]').check();
    await article.locator('.comment-report button[type=submit]').click();
    // Refused next to the field, with the form still open and the choice kept.
    await article.locator('.comment-report .error-summary').waitFor();
    const details = article.locator(`#report-${reportedId}-details`);
    expect(await details.getAttribute('aria-invalid')).toBe('true');
    expect(await article.locator('input[name=reason][value=other]').isChecked()).toBe(true);

    await article.locator('input[name=reason][value=spam]').check();
    await details.fill('Реклама <script>alert(1)</script>');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('reported') === reportedId),
      article.locator('.comment-report button[type=submit]').click(),
    ]);
    expect(await article.locator('.comment-status').innerText()).toContain(
      'Сигналът е получен — модераторите ще го прегледат.',
    );
    expect(await article.locator('.comment-reported').innerText()).toBe(
      'Сигнализирахте за този коментар',
    );
    expect(await article.locator('.comment-report details').count()).toBe(0);

    // Later visits show that it was reported, without repeating the receipt.
    await page.goto(path);
    expect(await article.locator('.comment-reported').count()).toBe(1);
    expect(await article.locator('.comment-status').innerText()).toBe('');
    await context.close();
  });

  it('with JavaScript, announces the receipt and moves focus to the "reported" mark', async () => {
    const { context, cspViolations } = await newContext(browser, sabor, { locale: 'en' });
    const page = await context.newPage();
    await signIn(page, resident2.email, resident2.password);
    await openThread(page);
    const article = page.locator(`#comment-${await reportableProposal(page, [reportedId])}`);
    await article.locator('.comment-report summary').click();
    await article.locator('input[name=reason][value=offensive]').check();
    await article.locator('.comment-report button[type=submit]').click();
    await article.locator('.comment-reported').waitFor();
    expect(await page.evaluate(() => document.activeElement?.className)).toContain(
      'comment-reported',
    );
    expect(await article.locator('[role=status]').innerText()).toBe(
      'Report received — moderators will review it.',
    );
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('shows a comment a moderator hides as "hidden by moderator" with the reason, live', async () => {
    const { context } = await newContext(browser, sabor);
    const page = await context.newPage();
    await page.goto(path);
    const article = page.locator(`#comment-${reportedId}`);
    await article.locator('.comment-body').waitFor();
    // No need to wait for the live connection: it follows the thread from the page's bookmark, so
    // an event published before it subscribes is replayed to it.

    const moderator = await apiAs(sabor, demo.moderator);
    const queue = await moderator<{ items: { id: string; comment: { id: string } }[] }>(
      'GET',
      `/api/moderation/items?consultationId=${consultationId}&pageSize=100`,
    );
    const item = queue.items.find((i) => i.comment.id === reportedId);
    expect(item, 'the report put the comment in the queue').toBeDefined();
    await moderator('POST', `/api/moderation/items/${item!.id}/decision`, {
      action: 'hide',
      reasonCode: 'offensive',
      reasonText: 'лични нападки',
    });

    const hidden = 'Скрит от модератор: обидно или враждебно съдържание: лични нападки';
    await article.locator('.comment-moderation', { hasText: hidden }).waitFor({ timeout: 20_000 });
    expect(await article.locator('.comment-body').count()).toBe(0);
    expect(await article.locator('.support-count').count()).toBe(0);

    // The same after a reload, for everyone.
    await page.reload();
    await article.locator('.comment-moderation', { hasText: hidden }).waitFor();
    expect(await article.locator('.comment-body').count()).toBe(0);
    await context.close();
  });

  it('saves a word list in the settings; a comment with a listed word awaits a moderator', async () => {
    const admin = await newContext(browser, sabor);
    const adminPage = await admin.context.newPage();
    await signIn(adminPage, demo.admin.email, demo.admin.password);
    await adminPage.goto('/admin/moderation/settings');
    // The lists are filled in (demo words included): hydration must not rewrite them afterwards.
    await waitForHydration(adminPage);
    await adminPage.locator('#settings-wordsBg').fill('измамник\nпробна дума\n\nизмамник');
    // A value out of range is refused next to its field, and nothing is saved.
    await adminPage.locator('#settings-autoHideReports').fill('0');
    await adminPage.locator('main form button[type=submit]').click();
    await adminPage.locator('#settings-autoHideReports-error').waitFor();
    expect(await adminPage.locator('#settings-autoHideReports').getAttribute('aria-invalid')).toBe(
      'true',
    );
    await adminPage.locator('#settings-autoHideReports').fill('3');
    await adminPage.locator('main form button[type=submit]').click();
    await adminPage.locator('[role=status]', { hasText: 'Настройките са запазени.' }).waitFor();
    await adminPage.reload();
    expect(await adminPage.locator('#settings-wordsBg').inputValue()).toBe('измамник\nпробна дума');
    await admin.context.close();

    const author = await newContext(browser, sabor);
    const page = await author.context.newPage();
    await signIn(page, demo.resident.email, demo.resident.password);
    await openThread(page);
    await page.locator('.comment-new input[name=stance][value=neutral]').check();
    await page.locator('#new-comment-body').fill('Това е пробна дума в предложението');
    await page.locator('.comment-new button[type=submit]').click();
    const own = page.locator('article.comment-held', { hasText: 'пробна дума в предложението' });
    await own.waitFor();
    expect(await own.locator('.badge').innerText()).toBe('Очаква одобрение');
    expect(await own.locator('.comment-moderation').innerText()).toContain(
      'Съдържа дума или израз, които модератор проверява преди публикуване.',
    );
    expect(await page.locator('.thread-status').innerText()).toBe(
      'Коментарът ви ще се появи, след като модератор го одобри.',
    );
    // Nobody can answer a comment that is not public yet.
    expect(await own.locator('summary', { hasText: 'Отговор' }).count()).toBe(0);
    await author.context.close();

    const anonymous = await newContext(browser, sabor);
    const other = await anonymous.context.newPage();
    await other.goto(path);
    expect(await other.locator('main').innerText()).not.toContain('пробна дума в предложението');
    await anonymous.context.close();
  });

  it('pre-moderation: the author alone sees the held comment (without JavaScript) and is notified', async () => {
    const admin = await newContext(browser, sabor, { javaScriptEnabled: false });
    const adminPage = await admin.context.newPage();
    await signIn(adminPage, demo.admin.email, demo.admin.password);
    await adminPage.goto(`/admin/consultations/${consultationId}`);
    await adminPage.locator('#consultation-premoderated').check();
    await adminPage.locator('form[action="?/save"] button[type=submit]').click();
    await adminPage.locator('[role=status]', { hasText: 'Промените са запазени.' }).waitFor();
    expect(await adminPage.locator('#consultation-premoderated').isChecked()).toBe(true);
    const saved = (await (await fetch(`${sabor.origin}/api${path}`)).json()) as {
      premoderated: boolean;
    };
    expect(saved.premoderated).toBe(true);
    await admin.context.close();

    const author = await newContext(browser, sabor, { locale: 'en', javaScriptEnabled: false });
    const page = await author.context.newPage();
    await signIn(page, resident2.email, resident2.password);
    await page.goto(path);
    await page.locator('.comment-new input[name=stance][value=for]').check();
    await page.locator('#new-comment-body').fill('Held for review, posted without scripts');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.has('held')),
      page.locator('.comment-new button[type=submit]').click(),
    ]);
    const own = page.locator('article.comment-held', { hasText: 'posted without scripts' });
    expect(await own.locator('.badge').innerText()).toBe('Awaiting moderation');
    expect(await own.locator('.comment-moderation').innerText()).toContain(
      'In this consultation every comment is published after a moderator approves it.',
    );
    expect(await page.locator('.thread-status').innerText()).toBe(
      'Your comment will appear after a moderator approves it.',
    );

    // The header counts the unread notice and leads to it.
    const accountLink = page.locator('.site-nav a', { hasText: 'My account' });
    expect(await accountLink.innerText()).toMatch(/unread notice/);
    await Promise.all([page.waitForURL('**/account/notices'), accountLink.click()]);
    const notice = page.locator('.notice-list li', {
      hasText: 'Your comment is awaiting moderation',
    });
    expect(await notice.count()).toBeGreaterThan(0);
    expect(await notice.first().innerText()).toContain('every comment is published after');
    const link = new URL((await notice.first().locator('a').getAttribute('href'))!, page.url());
    expect(link.pathname).toBe(path);
    expect(link.hash).toMatch(/^#comment-[0-9a-f-]{36}$/);
    await page.locator('form[action="?/read"] button').click();
    await page.locator('[role=status]', { hasText: 'All notices are marked as read.' }).waitFor();
    expect(await page.locator('.notice-unread').count()).toBe(0);
    expect(await page.locator('.site-nav a', { hasText: 'My account' }).innerText()).not.toMatch(
      /unread/,
    );
    await author.context.close();

    const reader = await newContext(browser, sabor);
    const readerPage = await reader.context.newPage();
    await signIn(readerPage, demo.resident.email, demo.resident.password);
    await readerPage.goto(path);
    expect(await readerPage.locator('main').innerText()).not.toContain('posted without scripts');
    await reader.context.close();
  });

  it('tells the author live: their hidden comment keeps its text for them; a held one is approved', async () => {
    const { context } = await newContext(browser, sabor);
    const page = await context.newPage();
    await signIn(page, demo.resident.email, demo.resident.password);
    await openThread(page);

    interface Listed {
      id: string;
      mine: boolean;
      deleted: boolean;
      moderation: { state: string; holdReason: string | null };
    }
    const author = await apiAs(sabor, demo.resident);
    const list = await author<{ items: Listed[] }>(
      'GET',
      `/api/consultations/${consultationId}/comments?limit=50`,
    );
    const visible = list.items.find(
      (c) => c.mine && !c.deleted && c.moderation.state === 'visible',
    );
    const held = list.items.find((c) => c.mine && c.moderation.state === 'held');
    expect(visible && held, 'a visible and a held comment of the author').toBeTruthy();
    await (
      await apiAs(sabor, resident2)
    )('POST', `/api/comments/${visible!.id}/reports`, {
      reason: 'spam',
    });
    const moderator = await apiAs(sabor, demo.moderator);
    const queue = await moderator<{ items: { id: string; comment: { id: string } }[] }>(
      'GET',
      `/api/moderation/items?consultationId=${consultationId}&pageSize=100`,
    );
    const itemOf = (id: string) => queue.items.find((i) => i.comment.id === id)!.id;
    await moderator('POST', `/api/moderation/items/${itemOf(visible!.id)}/decision`, {
      action: 'hide',
      reasonCode: 'spam',
    });
    await moderator('POST', `/api/moderation/items/${itemOf(held!.id)}/decision`, {
      action: 'approve',
    });

    const hidden = page.locator(`#comment-${visible!.id}`);
    await hidden
      .locator('.comment-moderation', { hasText: 'Коментарът ви е скрит: спам или реклама' })
      .waitFor({ timeout: 20_000 });
    expect(await hidden.locator('.comment-body-hidden').count()).toBe(1);
    expect(await hidden.locator('summary').count()).toBe(0);

    const approved = page.locator(`#comment-${held!.id}`);
    await expect
      .poll(() => approved.getAttribute('class'), { timeout: 20_000 })
      .not.toContain('comment-held');
    expect(await approved.locator('.badge, .comment-moderation').count()).toBe(0);

    await page.goto('/account/notices');
    const notices = await page.locator('.notice-list').innerText();
    expect(notices).toContain('Коментарът ви е скрит');
    expect(notices).toContain('Причина: спам или реклама');
    expect(notices).toContain('Коментарът ви е одобрен и публикуван');
    await context.close();
  });

  for (const locale of ['bg', 'en'] as const) {
    it(`has no serious accessibility problems on the moderated thread, notices and settings (${locale})`, async () => {
      const problems: string[] = [];
      const audit = async (page: Page, what: string) => {
        for (const v of await seriousAccessibilityViolations(page)) {
          problems.push(`${what}: ${v.id} (${v.impact}) ${v.help} at ${JSON.stringify(v.nodes)}`);
        }
      };

      const resident = await newContext(browser, sabor, { locale });
      const page = await resident.context.newPage();
      await signIn(page, resident2.email, resident2.password);
      await openThread(page);
      // The thread has a hidden comment and this reader's held one; open a report form too.
      await page.locator(`#comment-${reportedId} .comment-moderation`).waitFor();
      await page.locator('article.comment-held').first().waitFor();
      await page.locator('.comment-report summary').first().click();
      await audit(page, 'thread');
      await page.goto('/account/notices');
      await audit(page, 'notices');
      await resident.context.close();

      const admin = await newContext(browser, sabor, { locale });
      const adminPage = await admin.context.newPage();
      await signIn(adminPage, demo.admin.email, demo.admin.password);
      await adminPage.goto('/admin/moderation/settings');
      await audit(adminPage, 'settings');
      await adminPage.goto(`/admin/consultations/${consultationId}`);
      await audit(adminPage, 'consultation form');
      await admin.context.close();

      expect(problems).toEqual([]);
    });
  }
});
