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
  startSabor,
  type Sabor,
  apiAs,
  waitForHydration,
} from './harness';

/*
 * The moderators' dashboard in a real browser: an item reported by a resident shows up live and is
 * hidden with the keyboard alone while the resident watches the thread; a decision without
 * JavaScript; who may enter; axe on every dashboard page in both languages.
 */

const run = browserAvailable();
let sabor: Sabor;
let browser: Browser;
let consultationId: string;
const resident2 = { email: 'resident2@sabor.local', password: demo.resident.password };

interface ListedComment {
  id: string;
  body: string;
  author: { displayName: string };
  replies: ListedComment[];
}

/**
 * A comment (proposal or reply) of the open demo consultation that neither demo resident wrote,
 * that is not in the queue already (the demo seeds a few reports) and that no test has used yet.
 */
const used = new Set<string>();
async function otherPeoplesComment(): Promise<ListedComment> {
  const response = await fetch(`${sabor.origin}/api/consultations/${consultationId}/comments`);
  const { items } = (await response.json()) as { items: ListedComment[] };
  const asModerator = await apiAs(sabor, demo.moderator);
  const queue = await asModerator<{ items: { comment: { id: string } }[] }>(
    'GET',
    '/api/moderation/items?pageSize=100',
  );
  for (const item of queue.items) used.add(item.comment.id);
  const residents = ['Елена Димитрова', 'Stefan Kolev'];
  const comment = items
    .flatMap((proposal) => [proposal, ...proposal.replies])
    .find((c) => !residents.includes(c.author.displayName) && !used.has(c.id));
  if (!comment) throw new Error('no comment left to report');
  used.add(comment.id);
  return comment;
}

/** The start of a comment's text, as the queue's excerpt shows it. */
const excerptOf = (comment: ListedComment) => comment.body.replace(/\s+/g, ' ').slice(0, 40).trim();

/**
 * A new proposal by the first demo resident, reported by the second, and its queue item: for
 * tests that need many items without using up the demo thread's comments.
 */
let proposals = 0;
async function reportedProposal(): Promise<{ reported: ListedComment; itemId: string }> {
  proposals += 1;
  const asAuthor = await apiAs(sabor, demo.resident);
  const reported = await asAuthor<ListedComment>(
    'POST',
    `/api/consultations/${consultationId}/comments`,
    { body: `Предложение ${proposals}: повече пейки в парка до реката`, stance: 'for' },
  );
  const asReporter = await apiAs(sabor, resident2);
  await asReporter('POST', `/api/comments/${reported.id}/reports`, { reason: 'spam' });
  const asModerator = await apiAs(sabor, demo.moderator);
  const queue = await asModerator<{ items: { id: string; comment: { id: string } }[] }>(
    'GET',
    '/api/moderation/items?pageSize=100',
  );
  const item = queue.items.find((i) => i.comment.id === reported.id);
  if (!item) throw new Error(`the reported proposal ${reported.id} is not in the queue`);
  return { reported, itemId: item.id };
}

beforeAll(async () => {
  if (!run) return;
  [sabor, browser] = await Promise.all([startSabor(), connectBrowser()]);
  consultationId = await openConsultationId(sabor);
});
afterAll(async () => {
  await browser?.close();
  await sabor?.stop();
});

describe.skipIf(!run)('moderation dashboard', () => {
  it('shows a new report live and hides the comment with the keyboard; the thread follows live', async () => {
    const moderator = await newContext(browser, sabor, { locale: 'en' });
    const resident = await newContext(browser, sabor);
    const dashboard = await moderator.context.newPage();
    const thread = await resident.context.newPage();
    await signIn(dashboard, demo.moderator.email, demo.moderator.password);
    await signIn(thread, demo.resident.email, demo.resident.password);
    await dashboard.goto('/moderation');
    // Staff see the dashboard in the site's navigation.
    await dashboard.locator('.site-nav').getByRole('link', { name: 'Moderation' }).waitFor();
    const reported = await otherPeoplesComment();
    await thread.goto(`/consultations/${consultationId}`);
    const comment = thread.locator(`#comment-${reported.id}`);
    await comment.waitFor();
    // Both pages follow their live topics once their scripts run.
    await dashboard.getByRole('button', { name: 'Keyboard shortcuts (?)' }).waitFor();
    await Promise.all([waitForHydration(dashboard), waitForHydration(thread)]);

    // The resident reports (one report: below the auto-hide threshold, the comment stays visible).
    const asResident = await apiAs(sabor, demo.resident);
    await asResident('POST', `/api/comments/${reported.id}/reports`, { reason: 'spam' });

    const item = dashboard.locator('.queue-item', { hasText: excerptOf(reported) });
    await item.waitFor({ timeout: 20_000 });
    await dashboard.locator('.status-region', { hasText: 'New items: 1' }).waitFor();
    expect(await item.innerText()).toContain('Spam or advertising (1)');
    expect(await comment.innerText()).toContain(excerptOf(reported));

    // Keyboard only: j to the newest item, h for the reason picker, a reason, Tab to the button.
    await dashboard.keyboard.press('j');
    await expect
      .poll(() =>
        dashboard.evaluate(() => document.activeElement?.classList.contains('queue-item')),
      )
      .toBe(true);
    expect(await dashboard.evaluate(() => document.activeElement?.textContent ?? '')).toContain(
      excerptOf(reported),
    );
    await dashboard.keyboard.press('h');
    expect(await dashboard.evaluate(() => document.activeElement?.tagName)).toBe('SELECT');
    await dashboard.keyboard.press('ArrowDown');
    expect(
      await dashboard.evaluate(() => (document.activeElement as HTMLSelectElement).value),
    ).toBe('spam');
    await dashboard.keyboard.press('Tab'); // the moderator's own words (optional)
    await dashboard.keyboard.type('Повтаря се в няколко консултации');
    await dashboard.keyboard.press('Tab');
    await dashboard.keyboard.press('Enter');

    await dashboard
      .locator('.status-region', { hasText: `Hidden: Comment by ${reported.author.displayName}` })
      .waitFor();
    await expect.poll(() => item.count()).toBe(0);
    // Focus moved on to the next item (or the list), not back to the start of the page.
    await expect
      .poll(() =>
        dashboard.evaluate(
          () => document.activeElement?.matches('.queue-item, #queue-heading') ?? false,
        ),
      )
      .toBe(true);

    // The resident's open thread shows it hidden with the public reason, without a reload.
    await comment.getByText('спам или реклама', { exact: false }).waitFor({ timeout: 20_000 });
    expect(await comment.innerText()).toContain('Повтаря се в няколко консултации');
    expect(await comment.innerText()).not.toContain(excerptOf(reported));
    expect(moderator.cspViolations).toEqual([]);
    await moderator.context.close();
    await resident.context.close();
  });

  it('decides an item without JavaScript', async () => {
    const reported = await otherPeoplesComment();
    const asResident = await apiAs(sabor, resident2);
    await asResident('POST', `/api/comments/${reported.id}/reports`, {
      reason: 'other',
      details: 'Съмнявам се <script>alert(1)</script>',
    });
    const { context } = await newContext(browser, sabor, {
      locale: 'en',
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await signIn(page, demo.moderator.email, demo.moderator.password);
    await page.goto('/moderation?reason=other');
    const item = page.locator('.queue-item', { hasText: excerptOf(reported) });
    await item.waitFor();
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      item.getByRole('button', { name: 'Keep visible — reports unfounded' }).click(),
    ]);
    await page
      .locator('.status-region', { hasText: `Approved: Comment by ${reported.author.displayName}` })
      .waitFor();
    // The same view after the post (its filter kept), without the decided item.
    expect(new URL(page.url()).searchParams.get('reason')).toBe('other');
    expect(await page.locator('.queue-item', { hasText: excerptOf(reported) }).count()).toBe(0);
    await context.close();
  });

  it('decides several items at once from the keyboard and logs each decision', async () => {
    const asResident = await apiAs(sabor, resident2);
    const reportedComments = [await otherPeoplesComment(), await otherPeoplesComment()];
    for (const reported of reportedComments) {
      await asResident('POST', `/api/comments/${reported.id}/reports`, { reason: 'off_topic' });
    }
    const { context, cspViolations } = await newContext(browser, sabor, { locale: 'en' });
    const page = await context.newPage();
    await signIn(page, demo.moderator.email, demo.moderator.password);
    await page.goto('/moderation');
    await page.getByRole('button', { name: 'Keyboard shortcuts (?)' }).waitFor();
    for (const reported of reportedComments) {
      await page.locator('.queue-item', { hasText: excerptOf(reported) }).waitFor();
    }
    // Tick both (x), then approve the selection (a): the bulk form, not just the current item.
    for (const key of ['j', 'x', 'j', 'x']) await page.keyboard.press(key);
    await page.locator('.bulk-count', { hasText: 'Selected: 2' }).waitFor();
    await page.keyboard.press('a');
    await page.locator('.status-region', { hasText: 'Decided: 2.' }).waitFor();
    for (const reported of reportedComments) {
      await expect
        .poll(() => page.locator('.queue-item', { hasText: excerptOf(reported) }).count())
        .toBe(0);
    }

    // The audit log lists both decisions; its CSV has the same filter and the same entries.
    await page.goto('/moderation/audit?action=moderation.approved');
    expect(await page.locator('.audit-table tbody tr').count()).toBeGreaterThanOrEqual(2);
    const csvHref = await page.locator('.audit-tools a[download]').getAttribute('href');
    expect(csvHref).toBe('/api/moderation/audit.csv?action=moderation.approved');
    const csv = await page.request.get(csvHref!);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).match(/moderation\.approved/g)?.length).toBeGreaterThanOrEqual(2);
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('tells the moderator when someone else decided first, live and on a late click', async () => {
    const asResident = await apiAs(sabor, resident2);
    const asAdmin = await apiAs(sabor, demo.admin);
    const [live, late] = [await otherPeoplesComment(), await otherPeoplesComment()];
    for (const reported of [live, late]) {
      await asResident('POST', `/api/comments/${reported.id}/reports`, { reason: 'spam' });
    }
    const queue = await asAdmin<{ items: { id: string; comment: { id: string } }[] }>(
      'GET',
      '/api/moderation/items',
    );
    const itemOf = (commentId: string) => queue.items.find((i) => i.comment.id === commentId)!.id;

    // With JavaScript: the item another moderator decides leaves the open dashboard, announced.
    const scripted = await newContext(browser, sabor, { locale: 'en' });
    const dashboard = await scripted.context.newPage();
    await signIn(dashboard, demo.moderator.email, demo.moderator.password);
    await dashboard.goto('/moderation');
    await dashboard.getByRole('button', { name: 'Keyboard shortcuts (?)' }).waitFor();
    await dashboard.locator('.queue-item', { hasText: excerptOf(live) }).waitFor();
    await waitForHydration(dashboard);
    await asAdmin('POST', `/api/moderation/items/${itemOf(live.id)}/decision`, {
      action: 'review',
    });
    await dashboard
      .locator('.status-region', { hasText: 'Decided by another moderator: 1.' })
      .waitFor({ timeout: 20_000 });
    expect(await dashboard.locator('.queue-item', { hasText: excerptOf(live) }).count()).toBe(0);
    await scripted.context.close();

    // Without JavaScript the page cannot know: the late decision is refused and said so.
    const { context } = await newContext(browser, sabor, {
      locale: 'en',
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await signIn(page, demo.moderator.email, demo.moderator.password);
    await page.goto('/moderation');
    const item = page.locator('.queue-item', { hasText: excerptOf(late) });
    await item.waitFor();
    await asAdmin('POST', `/api/moderation/items/${itemOf(late.id)}/decision`, {
      action: 'approve',
    });
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      item.getByRole('button', { name: /Mark as reviewed/ }).click(),
    ]);
    await page
      .getByRole('alert')
      .filter({ hasText: 'Another moderator has already decided this item.' })
      .waitFor();
    expect(await item.count()).toBe(0);
    await context.close();
  });

  it('keeps the "awaiting decision" tile right: live with JavaScript, and after a post without', async () => {
    const asAdmin = await apiAs(sabor, demo.admin);
    const report = reportedProposal;
    const pendingNow = async () =>
      (await asAdmin<{ pending: number }>('GET', '/api/moderation/stats')).pending;

    const scripted = await newContext(browser, sabor, { locale: 'bg' });
    const dashboard = await scripted.context.newPage();
    await signIn(dashboard, demo.moderator.email, demo.moderator.password);
    const mine = await report();
    const others = await report();
    await dashboard.goto('/moderation');
    await dashboard.locator('.queue-toolbar[data-live=online]').waitFor();
    const tile = dashboard.locator('.stat-tile', { hasText: 'Чакат решение' }).locator('dd');
    const shows = (count: number) =>
      expect.poll(() => tile.innerText(), { timeout: 10_000 }).toBe(String(count));
    const before = await pendingNow();
    expect(await tile.innerText()).toBe(String(before));

    // A decision made here: the tile is right as soon as the decision is told.
    const item = dashboard.locator('.queue-item', { hasText: excerptOf(mine.reported) });
    await item.getByRole('button', { name: 'Остави видим — сигналите са неоснователни' }).click();
    await dashboard.locator('.status-region', { hasText: 'Одобрено' }).waitFor();
    expect(await tile.innerText()).toBe(String(before - 1));
    // A decision made by another moderator, and a new report: live.
    await asAdmin('POST', `/api/moderation/items/${others.itemId}/decision`, { action: 'review' });
    await shows(before - 2);
    await report();
    await shows(before - 1);
    await scripted.context.close();

    // Without JavaScript: right on the page that answers the post.
    const plain = await report();
    const { context } = await newContext(browser, sabor, {
      locale: 'bg',
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await signIn(page, demo.moderator.email, demo.moderator.password);
    await page.goto('/moderation');
    const plainTile = page.locator('.stat-tile', { hasText: 'Чакат решение' }).locator('dd');
    const waiting = await pendingNow();
    expect(await plainTile.innerText()).toBe(String(waiting));
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page
        .locator('.queue-item', { hasText: excerptOf(plain.reported) })
        .getByRole('button', { name: 'Остави видим — сигналите са неоснователни' })
        .click(),
    ]);
    await page.locator('.status-region', { hasText: 'Одобрено' }).waitFor();
    expect(await plainTile.innerText()).toBe(String(waiting - 1));
    await context.close();
  });

  it('shows the audit log in Bulgarian: people and items by name, actions and details in words', async () => {
    const asModerator = await apiAs(sabor, demo.moderator);
    const asAdmin = await apiAs(sabor, demo.admin);
    // A comment hidden, a warning and a role changed (and changed back): entries of three kinds.
    const { reported, itemId } = await reportedProposal();
    await asModerator('POST', `/api/moderation/items/${itemId}/decision`, {
      action: 'hide',
      reasonCode: 'spam',
    });
    const people = await asAdmin<{ items: { id: string; email: string; displayName: string }[] }>(
      'GET',
      '/api/admin/users?pageSize=100',
    );
    const person = (email: string) => people.items.find((u) => u.email === email)!;
    const warned = person('petya.nikolova@sabor.local');
    const promoted = person('anna.hristova@sabor.local');
    await asModerator('POST', `/api/moderation/users/${warned.id}/warn`, {
      reason: 'Моля, спазвайте правилата.',
    });
    await asAdmin('PATCH', `/api/admin/users/${promoted.id}/role`, { role: 'moderator' });
    await asAdmin('PATCH', `/api/admin/users/${promoted.id}/role`, { role: 'resident' });

    const { context } = await newContext(browser, sabor, { locale: 'bg' });
    const page = await context.newPage();
    await signIn(page, demo.moderator.email, demo.moderator.password);
    await page.goto('/moderation/audit');
    const main = await page.locator('main').innerText();
    expect(main).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    expect(main).not.toContain('{');
    // No action code in English, and no text box that takes an id.
    expect(main).not.toMatch(/\b(moderation|user|consultation)\.[a-z_]+/);
    for (const label of ['Скрит коментар', 'Предупреждение', 'Сменена роля']) {
      expect(main).toContain(label);
    }
    expect(main).toContain('Публична причина: спам или реклама');
    expect(main).not.toMatch(/\bspam\b/); // the reason code, told by name instead
    expect(main).toContain('Роля: Жител → Модератор');
    expect(main).toContain('Георги Петров (модератор)');
    const table = page.locator('.audit-table');
    expect(
      await table
        .getByRole('link', { name: warned.displayName })
        .first()
        .evaluate((a) => (a as HTMLAnchorElement).pathname),
    ).toBe(`/moderation/users/${warned.id}`);
    expect(await table.locator(`a[href$="#comment-${reported.id}"]`).first().innerText()).toContain(
      excerptOf(reported).slice(0, 20),
    );
    expect(await page.locator('main input[name=actorId], main input[name=targetId]').count()).toBe(
      0,
    );

    // Filters: part of a name and an action picked by its name.
    await page.locator('#audit-actor').fill('администратор');
    await page.locator('#audit-action').selectOption({ label: 'Сменена роля' });
    await Promise.all([
      page.waitForURL(/actor=/),
      page.locator('form.audit-filters button[type=submit]').click(),
    ]);
    const rows = page.locator('.audit-table tbody tr');
    expect(await rows.count()).toBe(2);
    for (const row of await rows.all()) expect(await row.innerText()).toContain('Сменена роля');
    // The export takes the same filters.
    const csv = await page.request.get(
      (await page.getByRole('link', { name: /CSV/ }).getAttribute('href'))!,
    );
    expect(csv.status()).toBe(200);
    expect((await csv.text()).match(/user\.role_changed/g)).toHaveLength(2);
    await context.close();
  });

  it('suspends an author after a confirmation step and lifts it, without JavaScript', async () => {
    const reported = await otherPeoplesComment();
    const asResident = await apiAs(sabor, resident2);
    await asResident('POST', `/api/comments/${reported.id}/reports`, { reason: 'offensive' });
    const { context } = await newContext(browser, sabor, {
      locale: 'en',
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await signIn(page, demo.moderator.email, demo.moderator.password);
    await page.goto('/moderation');
    await page
      .locator('.queue-item', { hasText: excerptOf(reported) })
      .locator('.queue-facts')
      .getByRole('link', { name: reported.author.displayName })
      .click();
    await page.locator('h1', { hasText: reported.author.displayName }).waitFor();
    const userPage = page.url();

    await page.locator('.user-action summary', { hasText: 'Suspend the account…' }).click();
    await page.getByLabel('7 days').check();
    await page.locator('#suspend-reason').fill('Обиди към други участници');
    await page.getByRole('button', { name: 'Continue' }).click();
    // Nothing happened yet: the step asks first, with the length and the reason.
    await page
      .locator('#suspend-confirm-heading', { hasText: 'for 7 days' })
      .waitFor({ timeout: 10_000 });
    expect(await page.locator('.author-name .badge-warn').count()).toBe(0);
    await page.getByRole('button', { name: 'Suspend the account', exact: true }).click();
    await page.locator('.status-region', { hasText: 'The account has been suspended.' }).waitFor();
    expect(await page.locator('.author-suspension').innerText()).toContain('Suspended until');
    expect(await page.locator('.account-actions').innerText()).toContain(
      'Обиди към други участници',
    );

    await page.goto(userPage);
    await page.getByRole('button', { name: 'Lift the suspension' }).click();
    await page.locator('.status-region', { hasText: 'The suspension has been lifted.' }).waitFor();
    expect(await page.locator('.author-suspension').count()).toBe(0);
    await context.close();
  });

  it('lets only moderators and admins in', async () => {
    const { context } = await newContext(browser, sabor, { locale: 'en' });
    const page = await context.newPage();
    await page.goto('/moderation');
    expect(new URL(page.url()).pathname).toBe('/login');
    await signIn(page, demo.resident.email, demo.resident.password);
    const response = await page.goto('/moderation');
    expect(response?.status()).toBe(403);
    expect(await page.locator('h1').innerText()).toBe('No access');
    expect(await page.locator('.site-nav').getByRole('link', { name: 'Moderation' }).count()).toBe(
      0,
    );
    expect(await page.locator('.site-nav').getByRole('link', { name: 'My account' }).count()).toBe(
      1,
    );
    expect((await page.goto('/moderation/audit'))?.status()).toBe(403);
    await context.close();

    const admin = await newContext(browser, sabor, { locale: 'en' });
    const adminPage = await admin.context.newPage();
    await signIn(adminPage, demo.admin.email, demo.admin.password);
    expect((await adminPage.goto('/moderation'))?.status()).toBe(200);
    await admin.context.close();
  });

  for (const locale of ['bg', 'en'] as const) {
    it(`has no serious accessibility problems on the dashboard pages (${locale})`, async () => {
      // Something in the queue, so its forms are on the page.
      const asModerator = await apiAs(sabor, demo.moderator);
      const pending = () =>
        asModerator<{ items: { id: string; author: { id: string } }[] }>(
          'GET',
          '/api/moderation/items',
        );
      if ((await pending()).items.length === 0) {
        const asResident = await apiAs(sabor, resident2);
        const reported = await otherPeoplesComment();
        await asResident('POST', `/api/comments/${reported.id}/reports`, { reason: 'off_topic' });
      }
      const first = (await pending()).items[0]!;

      const { context, cspViolations } = await newContext(browser, sabor, { locale });
      const page = await context.newPage();
      await signIn(page, demo.moderator.email, demo.moderator.password);
      const problems: string[] = [];
      const audit = async (path: string, prepare?: () => Promise<void>) => {
        await page.goto(path);
        await prepare?.();
        const violations = await seriousAccessibilityViolations(page);
        problems.push(
          ...violations.map(
            (v) =>
              `${path}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
          ),
        );
      };
      await audit('/moderation', async () => {
        await page.locator('.decided-per-day summary').click();
        await page.locator('.hide-picker summary').first().click();
      });
      await audit('/moderation', async () => {
        await page.locator('.queue-toolbar button').click();
        await page.locator('#shortcuts-dialog').waitFor();
      });
      await audit('/moderation?status=resolved');
      await audit(`/moderation/items/${first.id}`, async () => {
        await page.locator('.user-action summary').first().click();
      });
      await audit(`/moderation/users/${first.author.id}`);
      await audit('/moderation/audit');
      expect(problems).toEqual([]);
      expect(cspViolations).toEqual([]);
      await context.close();
    });
  }
});
