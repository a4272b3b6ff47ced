import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  demo,
  connectBrowser,
  newContext,
  seriousAccessibilityViolations,
  signIn,
  sharedSabor,
  type Sabor,
  waitForHydration,
} from './harness';

const run = browserAvailable();
let sabor: Sabor;
let browser: Browser;
/** The demo forum: 40 seats, guests allowed, four questions (text, choice, checkbox, consent). */
let forumPath: string;
let forumId: string;

beforeAll(async () => {
  if (!run) return;
  sabor = sharedSabor();
  browser = await connectBrowser();
  const response = await fetch(`${sabor.origin}/api/events`);
  const list = (await response.json()) as { items: { id: string; type: string }[] };
  const forum = list.items.find((item) => item.type === 'forum');
  if (!forum) throw new Error('the demo forum is missing');
  forumId = forum.id;
  forumPath = `/events/${forum.id}`;
});
afterAll(async () => {
  await browser?.close();
});

/** The confirmation link mailed to `email`, read from the admin Outbox page as an operator would. */
async function confirmLinkFromOutbox(email: string): Promise<string> {
  const { context } = await newContext(browser, sabor);
  const page = await context.newPage();
  await signIn(page, demo.admin.email, demo.admin.password);
  await page.goto(`/admin/outbox?to=${encodeURIComponent(email)}`);
  await page.locator('main table a').first().click();
  await page.waitForURL(/\/admin\/outbox\/[0-9a-f-]{36}/);
  const text = await page.locator('main pre').innerText();
  await context.close();
  const link =
    /https?:\/\/\S+\/events\/registrations\/[0-9a-f-]{36}\/confirm\?token=[a-z2-7]+/.exec(
      text,
    )?.[0];
  if (!link) throw new Error(`no confirmation link in mail:\n${text}`);
  return link;
}

/** Fills the demo forum's questions: organisation, a language, accessibility, consent. */
async function answerForumQuestions(page: Page) {
  const form = page.locator('form.registration-form');
  await form.locator('textarea').first().fill('Читалище „Родина“ <b>&</b>');
  await form.locator('input[type=radio]').first().check();
  for (const box of await form.locator('input[type=checkbox]').all()) await box.check();
}

describe.skipIf(!run)('event registration', () => {
  it('a guest registers without JavaScript, confirms through the mail, and is checked in once', async () => {
    const { context: guestContext, cspViolations } = await newContext(browser, sabor, {
      javaScriptEnabled: false,
    });
    const guest = await guestContext.newPage();
    const email = `guest-${Date.now()}@example.bg`;

    await guest.goto('/events');
    await guest.locator(`main a[href$="${forumPath}"]`).first().click();
    await guest.waitForURL((url) => url.pathname === forumPath);
    expect(await guest.locator('.seat-count').innerText()).toMatch(/Остават \d+ места/);

    // Without the consent the registration is refused, next to the field, and nothing is kept.
    await guest.locator('input[name=name]').fill('Гергана Гостенка');
    await guest.locator('input[name=email]').fill(email);
    await guest.locator('form.registration-form button[type=submit]').click();
    await guest.waitForSelector('.error-summary');
    expect(await guest.locator('.error-summary').innerText()).toContain('Съгласен/съгласна');
    expect(await guest.locator('input[name=email]').inputValue()).toBe(email);

    await answerForumQuestions(guest);
    await guest.locator('form.registration-form button[type=submit]').click();
    await guest.waitForSelector('.registration-result');
    expect(await guest.locator('.registration-result').innerText()).toContain(
      'Проверете имейла си',
    );

    const link = new URL(await confirmLinkFromOutbox(email));
    await guest.goto(link.pathname + link.search);
    // Opening the link confirms nothing: a button does.
    expect(await guest.locator('main').innerText()).toContain('Потвърждавам регистрацията');
    await guest.locator('main form button[type=submit]').click();
    await guest.waitForSelector('.ticket-code');
    expect(await guest.locator('.registration-result').innerText()).toContain(
      'Регистрацията е потвърдена',
    );
    const code = (await guest.locator('.ticket-code').innerText()).trim();
    expect(code).toMatch(/^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$/);
    expect(await guest.locator('img.ticket-qr').getAttribute('src')).toMatch(/^data:image\/svg/);

    // Door staff type the code (in lower case, without dashes): admitted once, refused after.
    // The check-in form works without JavaScript (a phone with scripts off, or before they load).
    const { context: staffContext } = await newContext(browser, sabor, {
      locale: 'en',
      javaScriptEnabled: false,
    });
    const staff = await staffContext.newPage();
    await signIn(staff, demo.admin.email, demo.admin.password);
    await staff.goto(`/admin/events/${forumId}/check-in`);
    await staff.locator('input[name=code]').fill(code.replaceAll('-', '').toLowerCase());
    await staff.locator('main form button[type=submit]').click();
    await staff.waitForSelector('.check-in-ok');
    expect(await staff.locator('.check-in-result').innerText()).toContain('Гергана Гостенка');
    expect(await staff.locator('input[name=code]').inputValue()).toBe('');

    await staff.locator('input[name=code]').fill(code);
    await staff.locator('main form button[type=submit]').click();
    await staff.waitForSelector('.check-in-refused');
    const refusal = await staff.locator('.check-in-result').innerText();
    expect(refusal).toContain('Refused');
    expect(refusal).toContain('Гергана Гостенка');
    expect(refusal).toMatch(/already/i);

    // A forged code is refused too.
    await staff
      .locator('input[name=code]')
      .fill(`${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`);
    await staff.locator('main form button[type=submit]').click();
    await staff.waitForFunction(
      () => !document.querySelector('.check-in-result')?.textContent?.includes('Гергана'),
    );
    expect(await staff.locator('.check-in-refused').count()).toBe(1);

    // The attendee list shows her as checked in, with her answers escaped as text.
    await staff.goto(`/admin/events/${forumId}/attendees?q=${encodeURIComponent('Гергана')}`);
    const row = await staff.locator('main tbody tr').first().innerText();
    expect(row).toContain(email);
    expect(row).toContain('Читалище „Родина“ <b>&</b>');
    await guestContext.close();
    await staffContext.close();
    expect(cspViolations).toEqual([]);
  });

  it('a guest registers with the keyboard alone', async () => {
    const { context } = await newContext(browser, sabor, { locale: 'en' });
    const page = await context.newPage();
    await page.goto(forumPath);
    // Tab from the top of the page until the name field has focus.
    for (let i = 0; i < 200; i += 1) {
      await page.keyboard.press('Tab');
      const name = await page.evaluate(() => document.activeElement?.getAttribute('name'));
      if (name === 'name') break;
    }
    await page.keyboard.type('Keyboard User');
    await page.keyboard.press('Tab');
    await page.keyboard.type(`keys-${Date.now()}@example.bg`);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Civic Lab');
    await page.keyboard.press('Tab'); // the first language
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab'); // accessibility assistance
    await page.keyboard.press('Tab'); // consent
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab'); // the submit button
    await page.keyboard.press('Enter');
    await page.waitForSelector('.registration-result');
    expect(await page.locator('.registration-result').innerText()).toContain('Check your email');
    // Focus moves to the result, so it is announced.
    expect(
      await page.evaluate(() => document.activeElement?.classList.contains('registration-result')),
    ).toBe(true);
    await context.close();
  });
});

async function audit(page: Page, path: string) {
  await page.goto(path);
  const violations = await seriousAccessibilityViolations(page);
  return violations.map(
    (v) =>
      `${path}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

describe.skipIf(!run).each(['bg', 'en'] as const)('event pages in %s', (locale) => {
  it('have no serious or critical axe violations', async () => {
    const problems: string[] = [];
    const { context: publicContext, cspViolations } = await newContext(browser, sabor, { locale });
    const visitor = await publicContext.newPage();
    for (const path of ['/events', '/events?when=past', forumPath]) {
      problems.push(...(await audit(visitor, path)));
    }
    // The registration result, and the form with its error summary.
    await visitor.locator('form.registration-form button[type=submit]').click();
    await visitor.waitForSelector('.error-summary');
    problems.push(...(await seriousAccessibilityViolations(visitor)).map((v) => `form: ${v.id}`));
    await visitor.locator('input[name=name]').fill('Axe Checker');
    await visitor.locator('input[name=email]').fill(`axe-${locale}-${Date.now()}@example.bg`);
    await answerForumQuestions(visitor);
    await visitor.locator('form.registration-form button[type=submit]').click();
    await visitor.waitForSelector('.registration-result');
    problems.push(...(await seriousAccessibilityViolations(visitor)).map((v) => `result: ${v.id}`));
    await publicContext.close();

    const { context: residentContext } = await newContext(browser, sabor, { locale });
    const resident = await residentContext.newPage();
    await signIn(resident, demo.resident.email, demo.resident.password);
    problems.push(...(await audit(resident, '/account/registrations')));
    problems.push(...(await audit(resident, forumPath)));
    await residentContext.close();

    const { context: adminContext } = await newContext(browser, sabor, { locale });
    const admin = await adminContext.newPage();
    await signIn(admin, demo.admin.email, demo.admin.password);
    for (const path of [
      '/admin/events',
      '/admin/events/new',
      `/admin/events/${forumId}`,
      `/admin/events/${forumId}?step=cancel`,
      `/admin/events/${forumId}/attendees`,
      `/admin/events/${forumId}/check-in`,
    ]) {
      problems.push(...(await audit(admin, path)));
    }
    await admin.locator('input[name=code]').fill('AAAA-BBBB-CCCC-DDDD-EEEE-FFFF');
    await admin.locator('main form button[type=submit]').click();
    await admin.waitForSelector('.check-in-refused');
    problems.push(...(await seriousAccessibilityViolations(admin)).map((v) => `check-in: ${v.id}`));
    await adminContext.close();

    expect(problems).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});

describe.skipIf(!run).each(['bg', 'en'] as const)('the home page in %s', (locale) => {
  it('lists the next upcoming events with date, place and seats, and links to all events', async () => {
    const response = await fetch(`${sabor.origin}/api/events?when=upcoming&pageSize=3`);
    const upcoming = (await response.json()) as {
      items: { id: string; titleBg: string; titleEn: string; venueBg: string; venueEn: string }[];
    };
    expect(upcoming.items.length).toBeGreaterThan(0);
    const { context } = await newContext(browser, sabor, { locale });
    const page = await context.newPage();
    await page.goto('/');
    const section = page.locator('section[aria-labelledby=home-events]');
    expect(await section.locator('h2').innerText()).toBe(
      locale === 'bg' ? 'Предстоящи събития' : 'Upcoming events',
    );
    const cards = section.locator('.event-card');
    expect(await cards.count()).toBe(upcoming.items.length);
    for (const [index, event] of upcoming.items.entries()) {
      const card = cards.nth(index);
      const title = locale === 'bg' ? event.titleBg : event.titleEn;
      expect(await card.locator('h3 a').innerText()).toBe(title);
      // The path the link leads to (its href may be written relative to the page).
      expect(await card.locator('h3 a').evaluate((a) => (a as HTMLAnchorElement).pathname)).toBe(
        `/events/${event.id}`,
      );
      const text = await card.innerText();
      expect(text).toContain(locale === 'bg' ? event.venueBg : event.venueEn);
      expect(text).toMatch(/\d{4}/); // the date
      expect(await card.locator('.seat-count').count()).toBe(1);
    }
    expect(
      await section
        .getByRole('link', { name: locale === 'bg' ? 'Всички събития' : 'All events' })
        .evaluate((a) => (a as HTMLAnchorElement).pathname),
    ).toBe('/events');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});

describe.skipIf(!run)('the seat count', () => {
  it('goes down live on an open page when someone else registers', async () => {
    const { context: watcherContext } = await newContext(browser, sabor, { locale: 'en' });
    const watcher = await watcherContext.newPage();
    await watcher.goto(forumPath);
    const before = Number(
      /(\d+) seats left/.exec(await watcher.locator('.seat-count').innerText())?.[1],
    );
    expect(before).toBeGreaterThan(1);
    // The page follows the event from the bookmark it was rendered at: once its script runs, it
    // replays whatever happened since, so a registration made even before that shows up live.
    await waitForHydration(watcher);

    const { context: otherContext } = await newContext(browser, sabor, {
      javaScriptEnabled: false,
    });
    const other = await otherContext.newPage();
    await other.goto(forumPath);
    await other.locator('input[name=name]').fill('Seat Taker');
    await other.locator('input[name=email]').fill(`seat-${Date.now()}@example.bg`);
    await answerForumQuestions(other);
    await other.locator('form.registration-form button[type=submit]').click();
    await other.waitForSelector('.registration-result');

    await watcher.waitForFunction(
      (expected) => document.querySelector('.seat-count')?.textContent?.includes(expected),
      `${before - 1} seats left`,
      { timeout: 15_000 },
    );
    await watcherContext.close();
    await otherContext.close();
  });
});

describe.skipIf(!run)('staff pages', () => {
  it('let a moderator check tickets in, and refuse a resident', async () => {
    const { context: moderatorContext } = await newContext(browser, sabor);
    const moderator = await moderatorContext.newPage();
    await signIn(moderator, demo.moderator.email, demo.moderator.password);
    const allowed = await moderator.goto(`/admin/events/${forumId}/check-in`);
    expect(allowed?.status()).toBe(200);
    expect(await moderator.locator('input[name=code]').count()).toBe(1);
    await moderatorContext.close();

    const { context: residentContext } = await newContext(browser, sabor);
    const resident = await residentContext.newPage();
    await signIn(resident, demo.resident.email, demo.resident.password);
    expect((await resident.goto(`/admin/events/${forumId}/check-in`))?.status()).toBe(403);
    expect((await resident.goto(`/admin/events/${forumId}/attendees`))?.status()).toBe(403);
    expect((await resident.goto('/admin/events'))?.status()).toBe(403);
    await residentContext.close();
  });
});

describe.skipIf(!run)('an admin', () => {
  it('creates a draft event with a programme and a question, and publishes it', async () => {
    const { context } = await newContext(browser, sabor, { javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, demo.admin.email, demo.admin.password);
    await page.goto('/admin/events/new');
    await page.locator('select[name=type]').selectOption('public_hearing');
    await page.locator('input[name=titleBg]').fill('Обществено обсъждане на бюджета');
    await page.locator('textarea[name=descriptionBg]').fill('Проектобюджет за **2027** г.');
    await page.locator('input[name=venueBg]').fill('Зала 1');
    await page.locator('input[name=addressBg]').fill('бул. „Руски“ 107');
    await page.locator('input[name=capacity]').fill('2');
    await page.locator('input[name="agenda.0.startsAt"]').fill('2027-01-20T10:00');
    await page.locator('input[name="agenda.0.titleBg"]').fill('Представяне');
    await page.locator('select[name="questions.0.kind"]').selectOption('consent');
    await page.locator('textarea[name="questions.0.labelBg"]').fill('Съгласен съм');
    await page.locator('input[name=startsAt]').fill('2027-01-20T10:00');
    await page.locator('input[name=endsAt]').fill('2027-01-20T12:00');
    await page.locator('main form button[type=submit]').last().click();
    await page.waitForURL(/\/admin\/events\/[0-9a-f-]{36}$/);
    expect(await page.locator('main').innerText()).toContain('Чернова');
    const id = new URL(page.url()).pathname.split('/').pop() ?? '';

    await page.goto(`/admin/events/${id}?step=publish`);
    await page.locator('form[action="?/publish"] button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === `/admin/events/${id}` && !url.search);
    expect(await page.locator('main').innerText()).toContain('Публикувано');

    await page.goto(`/events/${id}`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('20 януари 2027 г. в 10:00 – 12:00');
    expect(text).toContain('Представяне');
    expect(text).toContain('Остават 2 места');

    await context.close();

    // Two guests take both seats; the third is told before and after that she joins the waitlist.
    const { context: guestContext } = await newContext(browser, sabor, {
      javaScriptEnabled: false,
    });
    const guest = await guestContext.newPage();
    for (const n of [1, 2, 3]) {
      await guest.goto(`/events/${id}`);
      if (n === 3) {
        expect(await guest.locator('.seat-count').innerText()).toContain('Местата са заети');
        expect(await guest.locator('form.registration-form').innerText()).toContain(
          'списъка на чакащите',
        );
      }
      await guest.locator('input[name=name]').fill(`Гост ${n}`);
      await guest.locator('input[name=email]').fill(`full-${n}-${Date.now()}@example.bg`);
      await guest.locator('form.registration-form input[type=checkbox]').check();
      await guest.locator('form.registration-form button[type=submit]').click();
      await guest.waitForSelector('.registration-result');
    }
    expect(await guest.locator('.registration-result').innerText()).toContain(
      'за да останете в списъка на чакащите',
    );
    await guestContext.close();
  });
});

describe.skipIf(!run)('cancelling', () => {
  it('a guest cancels through the link in the mail, after a confirmation step', async () => {
    const { context } = await newContext(browser, sabor, {
      locale: 'en',
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    const email = `cancel-${Date.now()}@example.bg`;
    await page.goto(forumPath);
    await page.locator('input[name=name]').fill('Cancel Me');
    await page.locator('input[name=email]').fill(email);
    await answerForumQuestions(page);
    await page.locator('form.registration-form button[type=submit]').click();
    await page.waitForSelector('.registration-result');

    const confirm = new URL(await confirmLinkFromOutbox(email));
    const manage = confirm.pathname.replace(/\/confirm$/, '') + confirm.search;
    await page.goto(manage);
    expect(await page.locator('main').innerText()).toContain('Awaiting confirmation');
    await page.locator('main a', { hasText: 'Cancel the registration' }).click();
    await page.locator('form[action="?/cancel"] button[type=submit]').click();
    await page.waitForURL((url) => url.searchParams.get('step') === null);
    const text = await page.locator('main').innerText();
    expect(text).toContain('This registration has been cancelled.');
    expect(await page.locator('.status-region').innerText()).toContain('cancelled');
    await context.close();
  });

  it('a resident sees the ticket in My registrations and cancels it', async () => {
    const { context } = await newContext(browser, sabor, { locale: 'en' });
    const page = await context.newPage();
    await signIn(page, demo.resident.email, demo.resident.password);
    await page.goto('/account/registrations');
    const item = page.locator('.registration-list > li').first();
    expect(await item.locator('.ticket-code').innerText()).toMatch(
      /^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$/,
    );
    await item.locator('a', { hasText: 'Cancel the registration' }).click();
    await page.waitForURL((url) => url.searchParams.has('cancel'));
    await page.locator('form[action="?/cancel"] button[type=submit]').click();
    await page.waitForURL((url) => !url.searchParams.has('cancel'));
    await page.waitForSelector('.status-region .notice');
    expect(await page.locator('.registration-list > li').first().innerText()).toContain(
      'Cancelled',
    );
    await context.close();
  });

  it('an admin edits a published event that has registrations (the questions stay)', async () => {
    const { context } = await newContext(browser, sabor, {
      locale: 'en',
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await signIn(page, demo.admin.email, demo.admin.password);
    await page.goto(`/admin/events/${forumId}`);
    await page.locator('input[name=titleEn]').fill('Forum of the partner cities');
    await page.locator('form[action="?/save"] button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === `/admin/events/${forumId}`);
    expect(await page.locator('.status-region').innerText()).toContain('saved');
    await page.goto(forumPath);
    expect(await page.locator('h1').innerText()).toBe('Forum of the partner cities');
    await context.close();
  });
});
