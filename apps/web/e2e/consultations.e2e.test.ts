import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoToSofiaLocal, sofiaLocalToIso } from '../src/lib/local-time';
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

beforeAll(async () => {
  if (!run) return;
  sabor = sharedSabor();
  browser = await connectBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The calendar day `days` after today in Sofia, "YYYY-MM-DD". */
function sofiaDay(days: number): string {
  const [year, month, day] = isoToSofiaLocal(new Date().toISOString())
    .slice(0, 10)
    .split('-')
    .map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** A made-up Cyrillic word, so a search finds only this test's consultation. */
function cyrillicWord(): string {
  const letters = 'абвгдежзиклмнопрстуфхцчшщюя';
  let word = 'Липовград';
  for (let i = 0; i < 6; i++) word += letters[Math.floor(Math.random() * letters.length)];
  return word;
}

interface Draft {
  titleBg: string;
  titleEn: string;
  summary: string;
  body: string;
  opensAt: string;
  closesAt: string;
}

/** Fills the consultation form (new or edit page) the way a person would. */
async function fillConsultation(page: Page, draft: Draft) {
  await page.locator('input[name=titleBg]').fill(draft.titleBg);
  await page.locator('input[name=titleEn]').fill(draft.titleEn);
  await page.locator('textarea[name=summary]').fill(draft.summary);
  await page.locator('textarea[name=body]').fill(draft.body);
  await page.locator('select[name=category]').selectOption('urban_planning');
  await page.locator('input[name=responsibleUnit]').fill('Дирекция „Устойчиво развитие“');
  await page.locator('input[name=contactEmail]').fill('konsultacii@example.bg');
  await page.locator('input[name=opensAt]').fill(draft.opensAt);
  await page.locator('input[name=closesAt]').fill(draft.closesAt);
}

const submitIn = (page: Page, form: string) =>
  page.locator(`main form${form} button[type=submit]`).click();

/** Creates a draft through the form and returns its id (the page it lands on). */
async function createConsultation(page: Page, draft: Draft): Promise<string> {
  await page.goto('/admin/consultations/new');
  await fillConsultation(page, draft);
  await submitIn(page, '');
  await page.waitForURL(/\/admin\/consultations\/[0-9a-f-]{36}$/);
  return new URL(page.url()).pathname.split('/').pop()!;
}

async function publish(page: Page, id: string) {
  await page.goto(`/admin/consultations/${id}`);
  await page.locator(`main a[href$="?step=publish"]`).click();
  await page.waitForURL(/step=publish/);
  await submitIn(page, '[action="?/publish"]');
  await page.waitForURL((url) => url.pathname.endsWith(id) && !url.search.includes('step'));
}

const mainText = (page: Page) => page.locator('main').innerText();

/** The `<time>` elements of the detail page's facts: [opens, closes]. */
async function factTimes(page: Page) {
  return page
    .locator('main dl.details time')
    .evaluateAll((elements) =>
      elements.map((e) => ({ datetime: e.getAttribute('datetime') ?? '', text: e.textContent })),
    );
}

const ids: { scheduled?: string; open?: string; documentOfScheduled?: string } = {};

describe.skipIf(!run)('consultations', () => {
  const word = cyrillicWord();
  const scheduled: Draft = {
    titleBg: `Наредба за зелените площи в ${word}`,
    titleEn: `Green spaces regulation for ${word}`,
    summary: 'Правила за опазване на парковете и алеите.',
    body: `# Раздел I\n\nПроектът урежда **опазването** на липовите алеи в квартал ${word}.`,
    opensAt: `${sofiaDay(3)}T09:15`,
    closesAt: `${sofiaDay(3 + 10)}T17:30`,
  };

  it('an admin creates and publishes a consultation without JavaScript; residents find it and read its dates in Sofia time', async () => {
    const { context, cspViolations } = await newContext(browser, sabor, {
      locale: 'bg',
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    await signIn(page, demo.admin.email, demo.admin.password);

    await page.goto('/admin/consultations');
    await page.locator('main a[href$="/admin/consultations/new"]').click();
    await page.waitForURL(/\/admin\/consultations\/new$/);

    // Ten days is under the legal minimum: the API's reason appears next to the closing date.
    await fillConsultation(page, scheduled);
    await submitIn(page, '');
    await expect
      .poll(() => page.locator('#consultation-closesAt-error').innerText())
      .toContain('14');
    expect(await page.locator('input[name=titleBg]').inputValue()).toBe(scheduled.titleBg);

    // Twenty days needs public reasons (art. 26).
    await page.locator('input[name=closesAt]').fill(`${sofiaDay(3 + 20)}T17:30`);
    await submitIn(page, '');
    await expect
      .poll(() => page.locator('#consultation-shortPeriodReason-error').innerText())
      .toContain('30');

    scheduled.closesAt = `${sofiaDay(3 + 31)}T17:30`;
    await page.locator('input[name=closesAt]').fill(scheduled.closesAt);
    await submitIn(page, '');
    await page.waitForURL(/\/admin\/consultations\/[0-9a-f-]{36}$/);
    const id = new URL(page.url()).pathname.split('/').pop()!;
    ids.scheduled = id;
    expect(await mainText(page)).toContain('създадена като чернова');
    // The form shows the stored instants back as the Sofia times that were typed.
    expect(await page.locator('input[name=opensAt]').inputValue()).toBe(scheduled.opensAt);
    expect(await page.locator('input[name=closesAt]').inputValue()).toBe(scheduled.closesAt);

    // A draft is not public.
    const { context: visitor } = await newContext(browser, sabor, { javaScriptEnabled: false });
    const visitorPage = await visitor.newPage();
    expect((await visitorPage.goto(`/consultations/${id}`))?.status()).toBe(404);

    await publish(page, id);
    expect(await mainText(page)).toContain('Консултацията е публикувана.');
    expect(await page.locator('main .badge').first().innerText()).toBe('Предстояща');

    // Signed out, without JavaScript: the list, a search by a Cyrillic word, the detail page.
    await visitorPage.goto('/consultations');
    expect(await mainText(visitorPage)).toContain(scheduled.titleBg);
    await visitorPage.locator('input[name=q]').fill(word.toLowerCase());
    await visitorPage.locator('main form[role=search] button[type=submit]').click();
    await visitorPage.waitForURL(/\?.*q=/);
    expect(await visitorPage.locator('main .consultation-list > li').count()).toBe(1);
    expect(await mainText(visitorPage)).toContain('Намерени: 1');
    await visitorPage.locator('input[name=q]').fill('несъществуващадумаъъъ');
    await visitorPage.locator('main form[role=search] button[type=submit]').click();
    await expect.poll(() => mainText(visitorPage)).toContain('Няма консултации');

    await visitorPage.goto(`/consultations?q=${encodeURIComponent(word)}&state=upcoming`);
    await visitorPage.locator(`main a[href$="/consultations/${id}"]`).click();
    await visitorPage.waitForURL(`**/consultations/${id}`);
    expect(await visitorPage.locator('h1').innerText()).toBe(scheduled.titleBg);
    const text = await mainText(visitorPage);
    expect(text).toContain('Предстояща');
    expect(text).toContain('Открива се на');
    expect(text).toContain('Дирекция „Устойчиво развитие“');
    // The body is rendered Markdown, not raw text, with its headings under the page's own.
    expect(await visitorPage.locator('main .consultation-body h3').innerText()).toBe('Раздел I');
    expect(await visitorPage.locator('main .consultation-body strong').innerText()).toBe(
      'опазването',
    );
    const [opens, closes] = await factTimes(visitorPage);
    expect(new Date(opens!.datetime).toISOString()).toBe(
      new Date(sofiaLocalToIso(scheduled.opensAt)!).toISOString(),
    );
    expect(new Date(closes!.datetime).toISOString()).toBe(
      new Date(sofiaLocalToIso(scheduled.closesAt)!).toISOString(),
    );
    // Bulgarian writes "9:15", English "09:15".
    expect(opens!.text).toMatch(/\b0?9:15\b/);
    expect(closes!.text).toMatch(/\b17:30\b/);
    // Signed-out readers are offered sign-in that returns here.
    const signInHref = await visitorPage
      .locator('main a[href*="login?next="]')
      .getAttribute('href');
    const signInUrl = new URL(signInHref!, visitorPage.url());
    expect(signInUrl.pathname).toBe('/login');
    expect(signInUrl.searchParams.get('next')).toBe(`/consultations/${id}`);
    // The place of the comment thread exists, empty until phase 2.
    expect(await visitorPage.locator('main section#comments').count()).toBe(1);

    // In English: the English title, the same Sofia times.
    await visitor.addCookies([{ name: 'sabor_locale', value: 'en', url: sabor.origin }]);
    await visitorPage.goto(`/consultations/${id}`);
    expect(await visitorPage.locator('h1').innerText()).toBe(scheduled.titleEn);
    const [opensEn, closesEn] = await factTimes(visitorPage);
    expect(opensEn!.text).toMatch(/\b09:15\b/);
    expect(closesEn!.text).toMatch(/\b17:30\b/);

    // Printed: the content without navigation or forms.
    await visitorPage.emulateMedia({ media: 'print' });
    expect(await visitorPage.locator('.site-nav').isVisible()).toBe(false);
    expect(await visitorPage.locator('form.language-switch').isVisible()).toBe(false);
    expect(await visitorPage.locator('main .consultation-body').isVisible()).toBe(true);

    expect(cspViolations).toEqual([]);
    await visitor.close();
    await context.close();
  });

  it('staff attach documents, publish a version and close early; a follower is mailed and unsubscribes signed out', async () => {
    const { context: adminContext, cspViolations } = await newContext(browser, sabor, {
      locale: 'bg',
    });
    const admin = await adminContext.newPage();
    await signIn(admin, demo.admin.email, demo.admin.password);

    // Its opening time has passed, so publishing opens it at once.
    const draft: Draft = {
      titleBg: `Бюджет на ${word} за 2027 г.`,
      titleEn: '',
      summary: 'Проектобюджет за обсъждане.',
      body: 'Първа версия на проектобюджета.',
      opensAt: `${sofiaDay(-1)}T08:00`,
      closesAt: `${sofiaDay(40)}T12:00`,
    };
    const id = await createConsultation(admin, draft);
    ids.open = id;
    await publish(admin, id);
    expect(await admin.locator('main .badge').first().innerText()).toBe('Открита');

    // A document: PDF recognised from its bytes.
    await admin.locator('input[name=title]').fill('Проектобюджет');
    await admin.locator('input[name=file]').setInputFiles({
      name: 'проектобюджет.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n'),
    });
    await submitIn(admin, '[action="?/upload"]');
    await expect.poll(() => mainText(admin)).toContain('Документът е качен.');
    // Not a document at all: refused, with the reason.
    await admin.locator('input[name=title]').fill('Снимка');
    await admin.locator('input[name=file]').setInputFiles({
      name: 'snimka.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('not a pdf, just text pretending'),
    });
    await submitIn(admin, '[action="?/upload"]');
    await expect.poll(() => mainText(admin)).toContain('PDF, DOCX и ODT');

    // A revised text is a new version.
    await admin.locator('textarea[name=body]').fill('Втора версия на проектобюджета.');
    await submitIn(admin, '[action="?/version"]');
    await expect.poll(() => mainText(admin)).toContain('Новата версия на текста е публикувана.');

    // A resident follows it.
    const { context: residentContext } = await newContext(browser, sabor, { locale: 'bg' });
    const resident = await residentContext.newPage();
    await signIn(resident, demo.resident.email, demo.resident.password);
    await resident.goto(`/consultations/${id}`);
    const detail = await mainText(resident);
    expect(detail).toContain('Версия 2');
    expect(detail).toContain('Втора версия на проектобюджета.');
    expect(detail).toContain('Затваря след');
    expect(await resident.locator('main .document-list li').innerText()).toContain('PDF');
    await resident.locator('main form[action="?/follow"] button').click();
    await expect.poll(() => mainText(resident)).toContain('Следите консултацията.');
    expect(await resident.locator('main form[action="?/unfollow"] button').count()).toBe(1);

    // Open consultations: days left in the list, and on the home page.
    await resident.goto('/consultations?state=open');
    expect(await mainText(resident)).toMatch(/Остават \d+ дни/);
    await resident.goto('/');
    expect(await resident.locator('main .consultation-list').innerText()).toContain(draft.titleBg);

    // Closing early needs a reason, which is then public.
    await admin.goto(`/admin/consultations/${id}?step=close`);
    await submitIn(admin, '[action="?/close"]');
    await expect.poll(() => admin.locator('#close-reason-error').count()).toBe(1);
    await admin.locator('textarea[name=reason]').fill('Общинският съвет отложи бюджета.');
    await submitIn(admin, '[action="?/close"]');
    await expect.poll(() => mainText(admin)).toContain('Консултацията е закрита предсрочно.');
    await resident.goto(`/consultations/${id}`);
    expect(await mainText(resident)).toContain('Общинският съвет отложи бюджета.');
    expect(await mainText(resident)).toContain('Закрита на');

    // The follower's mail carries a link that works signed out, once.
    await admin.goto(`/admin/outbox?to=${encodeURIComponent(demo.resident.email)}`);
    await admin.locator('main table a').first().click();
    await admin.waitForURL(/\/admin\/outbox\/[0-9a-f-]{36}/);
    const mail = await admin.locator('main pre').innerText();
    const link = /https?:\/\/\S+\/follows\/unsubscribe\?token=[a-z2-7]+/.exec(mail)?.[0];
    expect(link, mail).toBeTruthy();
    const { context: mailReader } = await newContext(browser, sabor, { javaScriptEnabled: false });
    const reader = await mailReader.newPage();
    await reader.goto(link!);
    expect(await mainText(reader)).toContain(draft.titleBg);
    await reader.locator('main form button[type=submit]').click();
    await expect.poll(() => mainText(reader)).toContain('вече не следите');
    await reader.goto(link!);
    expect(await mainText(reader)).toContain('невалидна');

    await resident.goto(`/consultations/${id}`);
    expect(await resident.locator('main form[action="?/follow"] button').count()).toBe(1);

    expect(cspViolations).toEqual([]);
    await mailReader.close();
    await residentContext.close();
    await adminContext.close();
  });

  it('deletes a document of a scheduled consultation after confirmation', async () => {
    const { context } = await newContext(browser, sabor, { locale: 'en' });
    const page = await context.newPage();
    await signIn(page, demo.admin.email, demo.admin.password);
    await page.goto(`/admin/consultations/${ids.scheduled}`);
    await page.locator('input[name=title]').fill('Map of the park');
    await page.locator('input[name=file]').setInputFiles({
      name: 'map.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.7\n%%EOF\n'),
    });
    await submitIn(page, '[action="?/upload"]');
    await expect.poll(() => mainText(page)).toContain('The document has been uploaded.');
    const deleteLink = page.locator('main a[href*="deleteDocument="]');
    ids.documentOfScheduled = new URL(
      (await deleteLink.getAttribute('href'))!,
      sabor.origin,
    ).searchParams.get('deleteDocument')!;
    await deleteLink.click();
    await page.waitForURL(/deleteDocument=/);
    await submitIn(page, '[action="?/deleteDocument"]');
    await expect.poll(() => mainText(page)).toContain('The document has been deleted.');
    expect(await page.locator('main .document-list').count()).toBe(0);
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

describe.skipIf(!run).each(['bg', 'en'] as const)('consultation pages in %s', (locale) => {
  it('have no serious or critical axe violations, public and admin', async () => {
    const { context, cspViolations } = await newContext(browser, sabor, { locale });
    const page = await context.newPage();
    const publicPages = [
      '/',
      '/consultations',
      '/consultations?state=open',
      '/consultations?q=няма-такава',
      `/consultations/${ids.scheduled}`,
      `/consultations/${ids.open}`,
      '/follows/unsubscribe?token=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz',
    ];
    const problems: string[] = [];
    for (const path of publicPages) problems.push(...(await audit(page, path)));

    await signIn(page, demo.admin.email, demo.admin.password);
    const adminPages = [
      '/admin/consultations',
      '/admin/consultations?state=open',
      '/admin/consultations/new',
      `/admin/consultations/${ids.scheduled}`,
      `/admin/consultations/${ids.open}`,
    ];
    for (const path of adminPages) problems.push(...(await audit(page, path)));

    // A draft with both confirmation steps and a form full of errors.
    await page.goto('/admin/consultations/new');
    await page.locator('input[name=titleBg]').fill('');
    await page.locator('input[name=contactEmail]').fill('not an email');
    await page.locator('main form button[type=submit]').click();
    await page.locator('.error-summary').waitFor();
    const violations = await seriousAccessibilityViolations(page);
    problems.push(...violations.map((v) => `new with errors: ${v.id} ${v.help}`));
    problems.push(...(await audit(page, `/admin/consultations/${ids.open}?step=close`)));

    expect(problems).toEqual([]);
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('fit a 360 px screen without sideways scrolling', async () => {
    const { context } = await newContext(browser, sabor, { locale });
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await signIn(page, demo.admin.email, demo.admin.password);
    for (const path of [
      '/consultations',
      `/consultations/${ids.open}`,
      '/admin/consultations/new',
      `/admin/consultations/${ids.scheduled}`,
    ]) {
      await page.goto(path);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});

describe.skipIf(!run)('consultation pages by keyboard', () => {
  it('search the list and open a consultation with the keyboard alone', async () => {
    const { context } = await newContext(browser, sabor, { locale: 'en' });
    const page = await context.newPage();
    await page.goto('/consultations');
    await waitForHydration(page);
    await page.locator('input[name=q]').focus();
    await page.keyboard.type('Green spaces');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=Green/);
    const link = page.locator('main .consultation-list a').first();
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/consultations\/[0-9a-f-]{36}$/);
    expect(await page.locator('h1').innerText()).toContain('Green spaces regulation');
    await context.close();
  });
});
