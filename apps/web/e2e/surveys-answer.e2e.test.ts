import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  browserAvailable,
  demo,
  connectBrowser,
  newContext,
  seriousAccessibilityViolations,
  signIn,
  sharedSabor,
  waitForHydration,
  type Sabor,
} from './harness';

const run = browserAvailable();
let sabor: Sabor;
let browser: Browser;

interface Option {
  id: string;
  role: string;
  labelBg: string;
}
interface Question {
  id: string;
  kind: string;
  textBg: string;
  options: Option[];
}
interface Survey {
  id: string;
  titleBg: string;
  responseCount: number;
  sections: { id: string; questions: Question[] }[];
}

/** The demo's open survey (anyone, live results, every kind, a condition) with its structure. */
let openSurvey: Survey;
let closedSurveyId: string;
const hostile = `<script>alert(1)</script>'; DROP TABLE x; --`;

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${sabor.origin}${path}`);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as T;
}

const question = (survey: Survey, textBg: string) => {
  const found = survey.sections.flatMap((s) => s.questions).find((q) => q.textBg === textBg);
  if (!found) throw new Error(`no question "${textBg}"`);
  return found;
};
const optionOf = (q: Question, labelBg: string) => {
  const found = q.options.find((o) => o.labelBg === labelBg);
  if (!found) throw new Error(`no option "${labelBg}" in "${q.textBg}"`);
  return found;
};

const responseCount = async (surveyId: string) =>
  (await getJson<{ responseCount: number }>(`/api/surveys/${surveyId}/results`)).responseCount;

beforeAll(async () => {
  if (!run) return;
  sabor = sharedSabor();
  browser = await connectBrowser();
  const list = await getJson<{ items: { id: string; titleBg: string; state: string }[] }>(
    '/api/surveys',
  );
  const open = list.items.find((s) => s.titleBg.startsWith('Как оценявате комуникацията'));
  const closed = list.items.find((s) => s.titleBg.startsWith('Удовлетвореност от обслужването'));
  if (!open || !closed) throw new Error('the demo surveys are missing');
  openSurvey = await getJson<Survey>(`/api/surveys/${open.id}`);
  closedSurveyId = closed.id;
});
afterAll(async () => {
  await browser?.close();
});

/** A published residents-only survey of two sections, made through the API as an admin would. */
async function createKeyboardSurvey(publish = true) {
  const admin = await apiAs(sabor, demo.admin);
  const ids = {
    s1: randomUUID(),
    s2: randomUUID(),
    bus: randomUUID(),
    yes: randomUUID(),
    no: randomUUID(),
    line: randomUUID(),
    rating: randomUUID(),
    topics: randomUUID(),
    a: randomUUID(),
    b: randomUUID(),
    c: randomUUID(),
    idea: randomUUID(),
  };
  const survey = await admin<Survey>('POST', '/api/admin/surveys', {
    titleBg: `Градски транспорт ${Date.now()}`,
    titleEn: 'Public transport',
    introBg: 'Кратка анкета за **автобусите**.',
    thankYouBg: 'Благодарим за отговорите!',
    audience: 'residents',
    resultsVisibility: 'after_close',
    sections: [
      {
        id: ids.s1,
        titleBg: 'Пътуване',
        titleEn: 'Travel',
        questions: [
          {
            id: ids.bus,
            kind: 'single_choice',
            required: true,
            textBg: 'Ползвате ли градския транспорт?',
            textEn: 'Do you use public transport?',
            options: [
              { id: ids.yes, labelBg: 'Да', labelEn: 'Yes' },
              { id: ids.no, labelBg: 'Не', labelEn: 'No' },
            ],
          },
          {
            id: ids.line,
            kind: 'short_text',
            required: true,
            textBg: 'Коя линия ползвате най-често?',
            textEn: 'Which line do you use most?',
            showIf: { questionId: ids.bus, optionIds: [ids.yes] },
          },
          {
            id: ids.rating,
            kind: 'scale',
            required: true,
            textBg: 'Доволни ли сте?',
            textEn: 'Are you satisfied?',
            min: 1,
            max: 5,
            minLabelBg: 'Никак',
            minLabelEn: 'Not at all',
            maxLabelBg: 'Напълно',
            maxLabelEn: 'Fully',
          },
        ],
      },
      {
        id: ids.s2,
        titleBg: 'Предложения',
        titleEn: 'Suggestions',
        questions: [
          {
            id: ids.topics,
            kind: 'multiple_choice',
            textBg: 'Какво да подобрим първо?',
            textEn: 'What should improve first?',
            max: 2,
            options: [
              { id: ids.a, labelBg: 'Честота', labelEn: 'Frequency' },
              { id: ids.b, labelBg: 'Спирки', labelEn: 'Stops' },
              { id: ids.c, labelBg: 'Цени', labelEn: 'Fares' },
            ],
          },
          {
            id: ids.idea,
            kind: 'short_text',
            required: true,
            textBg: 'Вашето предложение',
            textEn: 'Your suggestion',
          },
        ],
      },
    ],
  });
  if (publish) await admin('POST', `/api/admin/surveys/${survey.id}/publish`, {});
  return { id: survey.id, ids, admin };
}

describe.skipIf(!run)('answering surveys', () => {
  it('lists the surveys: open first, then closed, with results links when public', async () => {
    const { context } = await newContext(browser, sabor, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/surveys');
    const headings = await page.locator('main h2').allInnerTexts();
    expect(headings[0]).toBe('Отворени сега');
    expect(headings.at(-1)).toBe('Приключили');
    const openCard = page.locator('.survey-card', { hasText: openSurvey.titleBg });
    expect(await openCard.innerText()).toContain('Приема отговори');
    expect(await openCard.innerText()).toContain('Всеки, и без профил');
    expect(
      await page.locator(`a[href$="/surveys/${closedSurveyId}/results"]`).count(),
    ).toBeGreaterThan(0);

    // The home page leads to the open survey too, and not to the closed one.
    await page.goto('/');
    const home = page.locator('section[aria-labelledby="home-surveys"]');
    expect(await home.locator('.survey-card', { hasText: openSurvey.titleBg }).count()).toBe(1);
    expect(await home.locator(`a[href="/surveys/${closedSurveyId}"]`).count()).toBe(0);

    // A closed survey takes no answers: it says so and links its results.
    await page.goto(`/surveys/${closedSurveyId}`);
    expect(await page.locator('main').innerText()).toContain('вече не приема отговори');
    expect(await page.locator('main form').count()).toBe(0);
    await context.close();
  });

  it('keeps a choice made before the page’s script arrived (a slow phone)', async () => {
    const { context } = await newContext(browser, sabor);
    const page = await context.newPage();
    // Hold the page's scripts back until the choice is made, as a slow connection would.
    let release!: () => void;
    const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/_app\/immutable\/.*\.js$/, async (route) => {
      await scriptsHeld;
      await route.continue();
    });
    await page.goto(`/surveys/${openSurvey.id}`, { waitUntil: 'domcontentloaded' });
    const choices = page.locator('main input[type=radio]');
    const picked = choices.nth(1);
    await picked.check();
    release();
    await waitForHydration(page);
    expect(await picked.isChecked()).toBe(true);
    expect(await choices.first().isChecked()).toBe(false);
    await context.close();
  });

  it('keeps a ranking place chosen before the page’s script arrived', async () => {
    const admin = await apiAs(sabor, demo.admin);
    const [ranking, parks, roads] = [randomUUID(), randomUUID(), randomUUID()];
    const survey = await admin<Survey>('POST', '/api/admin/surveys', {
      titleBg: `Приоритети ${Date.now()}`,
      audience: 'anyone',
      sections: [
        {
          id: randomUUID(),
          titleBg: 'Приоритети',
          questions: [
            {
              id: ranking,
              kind: 'ranking',
              textBg: 'Подредете приоритетите',
              options: [
                { id: parks, labelBg: 'Паркове' },
                { id: roads, labelBg: 'Пътища' },
              ],
            },
          ],
        },
      ],
    });
    await admin('POST', `/api/admin/surveys/${survey.id}/publish`, {});
    const { context } = await newContext(browser, sabor);
    const page = await context.newPage();
    let release!: () => void;
    const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/_app\/immutable\/.*\.js$/, async (route) => {
      await scriptsHeld;
      await route.continue();
    });
    await page.goto(`/surveys/${survey.id}`, { waitUntil: 'domcontentloaded' });
    const place = page.locator(`select[name="q.${ranking}.rank.${roads}"]`);
    await place.selectOption('1');
    release();
    await waitForHydration(page);
    expect(await place.inputValue()).toBe('1');
    await context.close();
  });

  it('an anonymous visitor answers every section without JavaScript, goes back, and can edit later', async () => {
    const before = await responseCount(openSurvey.id);
    const { context } = await newContext(browser, sabor, { javaScriptEnabled: false });
    const page = await context.newPage();
    page.on('dialog', () => {
      throw new Error('a script from an answer ran');
    });
    await page.goto('/surveys');
    await page.locator('main a', { hasText: openSurvey.titleBg }).first().click();
    await page.waitForURL((url) => url.pathname === `/surveys/${openSurvey.id}`);
    expect(await page.locator('main').innerText()).toContain('Раздел 1 от 2');
    expect(await page.locator('main .prose').first().innerText()).toContain('около 5 минути');

    const informed = question(openSurvey, 'Чувствате ли се информирани за решенията на общината?');
    const missing = question(openSurvey, 'Какво ви липсва?');
    const channels = question(openSurvey, 'Откъде научавате новините на общината? (до 3)');
    const district = question(openSurvey, 'В кой квартал живеете?');
    // Without JavaScript the conditional question is shown, with the condition in words.
    expect(await page.locator('main').innerText()).toContain(
      'Отговорете, ако в „Чувствате ли се информирани за решенията на общината?“ сте избрали „Отчасти“ или „Не“.',
    );
    await page.getByLabel('Отчасти', { exact: true }).check();
    await page.locator(`#q-${missing.id}`).fill('Повече новини на сайта');
    await page.getByLabel('Сайтът на общината').check();
    await page.getByLabel('Местни медии').check();
    await page.locator(`#q-${district.id}`).fill(hostile);
    await page.locator('button[value=next]').click();

    await page.waitForSelector('button[value=submit]');
    expect(await page.locator('main').innerText()).toContain('Раздел 2 от 2');
    const rating = question(openSurvey, 'Как оценявате комуникацията като цяло?');
    await page.locator(`input[name="q.${rating.id}"][value="4"]`).check();

    // Back keeps both sections' answers.
    await page.locator('button[value=back]').click();
    await page.waitForSelector('button[value=next]');
    expect(await page.locator(`#q-${district.id}`).inputValue()).toBe(hostile);
    expect(await page.getByLabel('Отчасти', { exact: true }).isChecked()).toBe(true);
    await page.locator('button[value=next]').click();
    await page.waitForSelector('button[value=submit]');
    expect(await page.locator(`input[name="q.${rating.id}"][value="4"]`).isChecked()).toBe(true);

    const grid = question(openSurvey, 'Как работят тези канали?');
    await page.getByLabel('Сайт: Добре').check();
    await page.getByLabel('Телефон: Зле').check();
    await page.getByLabel('Място за „Бюджет“').selectOption('1');
    await page.getByLabel('Място за „Ремонти на улици“').selectOption('2');
    await page.getByLabel('Място за „Събития“').selectOption('3');
    await page.getByLabel('От колко години живеете в Стара Загора?').fill('12');
    await page.getByLabel('Кога за последно посетихте общината?').fill('2026-03-02');
    await page.locator('button[value=submit]').click();

    await page.waitForSelector('.survey-thanks');
    expect(await page.locator('.survey-thanks').innerText()).toContain('Отговорът ви е изпратен');
    expect(await page.locator('.survey-thanks').innerText()).toContain('Благодарим!');
    expect(await responseCount(openSurvey.id)).toBe(before + 1);

    // The hostile text is stored as typed and shown back as text.
    const results = await getJson<{
      questions: { questionId: string; texts?: { text: string }[] }[];
    }>(`/api/surveys/${openSurvey.id}/results`);
    const districtTexts = results.questions.find((q) => q.questionId === district.id)?.texts;
    expect(districtTexts?.map((t) => t.text)).toContain(hostile);

    // The same browser, later: it has answered, sees its answers and can change them.
    await page.goto(`/surveys/${openSurvey.id}`);
    expect(await page.locator('.survey-answered').innerText()).toContain('Отговорихте на');
    expect(await page.locator(`#q-${district.id}`).inputValue()).toBe(hostile);
    expect(await page.locator(`#q-${channels.id}`).isChecked()).toBe(true);
    expect(await page.locator(`#q-${informed.id}`).isChecked()).toBe(false);
    await page.locator('button[value=next]').click();
    await page.waitForSelector('button[value=submit]');
    expect(await page.locator('button[value=submit]').innerText()).toBe('Запази промените');
    expect(await page.getByLabel('Място за „Бюджет“').inputValue()).toBe('1');
    expect(
      await page
        .locator(`input[name="q.${grid.id}.row.${optionOf(grid, 'Сайт').id}"]:checked`)
        .getAttribute('value'),
    ).toBe(optionOf(grid, 'Добре').id);
    await page.getByLabel('От колко години живеете в Стара Загора?').fill('13');
    await page.locator('button[value=submit]').click();
    await page.waitForSelector('.survey-thanks');
    expect(await page.locator('.survey-thanks').innerText()).toContain('Промените са запазени');
    expect(await responseCount(openSurvey.id)).toBe(before + 1);
    await context.close();
  });

  it('a second tab that answers again is told so and may save its answers as a change', async () => {
    const { context } = await newContext(browser, sabor, { javaScriptEnabled: false });
    const informed = question(openSurvey, 'Чувствате ли се информирани за решенията на общината?');
    const rating = question(openSurvey, 'Как оценявате комуникацията като цяло?');
    const answerIn = async (page: Page, value: string) => {
      await page.locator(`#q-${informed.id}`).check();
      await page.locator('button[value=next]').click();
      await page.waitForSelector('button[value=submit]');
      await page.locator(`input[name="q.${rating.id}"][value="${value}"]`).check();
      await page.locator('button[value=submit]').click();
    };
    const first = await context.newPage();
    const second = await context.newPage();
    await first.goto(`/surveys/${openSurvey.id}`);
    await second.goto(`/surveys/${openSurvey.id}`);
    await answerIn(first, '2');
    await first.waitForSelector('.survey-thanks');

    await answerIn(second, '5');
    await second.waitForSelector('.error-summary');
    expect(await second.locator('.error-summary').innerText()).toContain(
      'Вече сте отговорили на тази анкета',
    );
    expect(await second.locator('button[value=submit]').innerText()).toBe('Запази промените');
    await second.locator('button[value=submit]').click();
    await second.waitForSelector('.survey-thanks');
    expect(await second.locator('.survey-thanks').innerText()).toContain('Промените са запазени');
    await context.close();
  });

  it('a resident answers a residents-only survey with the keyboard alone', async () => {
    const { id, ids } = await createKeyboardSurvey();
    const { context } = await newContext(browser, sabor);
    const page = await context.newPage();

    // Signed out, the survey explains and links to sign-in that returns here.
    await page.goto(`/surveys/${id}`);
    expect(await page.locator('main').innerText()).toContain('само регистрирани жители');
    expect(
      await page
        .locator(`main a[href$="/login?next=${encodeURIComponent(`/surveys/${id}`)}"]`)
        .count(),
    ).toBe(1);

    await signIn(page, demo.resident.email, demo.resident.password);
    await page.goto(`/surveys/${id}`);
    await waitForHydration(page);
    const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('name'));
    for (let i = 0; i < 200; i += 1) {
      await page.keyboard.press('Tab');
      if ((await focusedName()) === `q.${ids.bus}`) break;
    }
    // With JavaScript the conditional question waits for its condition.
    expect(await page.locator(`#q-${ids.line}`).count()).toBe(0);
    await page.keyboard.press('Space'); // "Да": the line question appears
    await page.keyboard.press('Tab');
    expect(await focusedName()).toBe(`q.${ids.line}`);
    await page.keyboard.type('Линия 3');
    await page.keyboard.press('Tab'); // the scale's first point
    expect(await focusedName()).toBe(`q.${ids.rating}`);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight'); // 4
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Напред');
    await page.keyboard.press('Enter');

    await page.locator('main', { hasText: 'Раздел 2 от 2' }).waitFor();
    // Focus moves to the new section's heading.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('survey-section-heading');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // Честота
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space'); // Цени
    await page.keyboard.press('Tab');
    expect(await focusedName()).toBe(`q.${ids.idea}`);
    await page.keyboard.type('Повече пейки');
    await page.keyboard.press('Enter'); // submits: the form's first button is "send"

    await page.waitForSelector('.survey-thanks');
    const resident = await apiAs(sabor, demo.resident);
    const stored = await resident<{ answers: Record<string, unknown> }>(
      'GET',
      `/api/surveys/${id}/response`,
    );
    expect(stored.answers).toEqual({
      [ids.bus]: { optionIds: [ids.yes] },
      [ids.line]: { text: 'Линия 3' },
      [ids.rating]: { number: 4 },
      [ids.topics]: { optionIds: [ids.a, ids.c] },
      [ids.idea]: { text: 'Повече пейки' },
    });

    // Once the survey closes, the resident reads their answers back and can no longer change them.
    const admin = await apiAs(sabor, demo.admin);
    await admin('POST', `/api/admin/surveys/${id}/close`, {});
    await page.goto(`/surveys/${id}`);
    expect(await page.locator('main form').count()).toBe(0);
    const mine = page.locator('section[aria-labelledby="my-answers-heading"]');
    expect(await mine.locator('h2').innerText()).toBe('Вашите отговори');
    const read = await mine.innerText();
    expect(read).toContain('Ползвате ли градския транспорт?');
    expect(read).toContain('Да');
    expect(read).toContain('Линия 3');
    expect(read).toContain('Повече пейки');
    await context.close();
  });

  it('an empty required question is named in the page language, and nothing is stored', async () => {
    const { id, ids } = await createKeyboardSurvey();
    for (const [locale, message, button] of [
      ['bg', 'Полето е задължително.', 'Изпрати отговорите'],
      ['en', 'This field is required.', 'Send my answers'],
    ] as const) {
      const { context } = await newContext(browser, sabor, { locale, javaScriptEnabled: false });
      const page = await context.newPage();
      await signIn(page, 'resident2@sabor.local', demo.resident.password);
      await page.goto(`/surveys/${id}`);
      // Without JavaScript the conditional line question has no browser check: only the API's.
      await page.locator(`#q-${ids.bus}`).check();
      await page.locator(`input[name="q.${ids.rating}"][value="2"]`).check();
      await page.locator('button[value=next]').click();
      await page.locator(`#q-${ids.idea}`).fill('Нещо');
      await page.locator('button', { hasText: button }).click();

      await page.waitForSelector('.error-summary');
      // Back on the first section, where the problem is, next to the question and in the summary.
      expect(await page.locator(`#q-${ids.line}-error`).innerText()).toContain(message);
      expect(await page.locator('.error-summary').innerText()).toContain(message);
      expect(await page.locator(`#q-${ids.line}`).getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator(`#q-${ids.bus}`).isChecked()).toBe(true);
      await context.close();
    }
    const response = await fetch(`${sabor.origin}/api/surveys/${id}/results`);
    expect(response.status).toBe(403);
    const admin = await apiAs(sabor, demo.admin);
    expect(
      (await admin<{ responseCount: number }>('GET', `/api/admin/surveys/${id}`)).responseCount,
    ).toBe(0);
  });

  it('an admin enters a paper response without JavaScript and previews a draft that stores nothing', async () => {
    const { context } = await newContext(browser, sabor, { javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, demo.admin.email, demo.admin.password);
    const before = await getJson<{ paperCount: number }>(`/api/surveys/${openSurvey.id}/results`);

    await page.goto(`/admin/surveys/${openSurvey.id}/paper`);
    const informed = question(openSurvey, 'Чувствате ли се информирани за решенията на общината?');
    const rating = question(openSurvey, 'Как оценявате комуникацията като цяло?');
    // A paper form with too many channels ticked: the API's message next to the question.
    const channels = question(openSurvey, 'Откъде научавате новините на общината? (до 3)');
    await page.locator(`#q-${informed.id}`).check();
    await page.locator(`input[name="q.${rating.id}"][value="5"]`).check();
    for (const box of await page.locator(`input[name="q.${channels.id}"]`).all()) await box.check();
    await page.locator('main form button[type=submit]').click();
    await page.waitForSelector('.error-summary');
    expect(await page.locator(`#q-${channels.id}-error`).innerText()).toContain(
      'Изберете най-много 3.',
    );
    for (const box of (await page.locator(`input[name="q.${channels.id}"]`).all()).slice(1)) {
      await box.uncheck();
    }
    await page.locator('main form button[type=submit]').click();
    await page.locator('.notice', { hasText: 'Хартиеният отговор е записан' }).waitFor();
    expect(await page.locator(`#q-${informed.id}`).isChecked()).toBe(false);
    const after = await getJson<{ paperCount: number }>(`/api/surveys/${openSurvey.id}/results`);
    expect(after.paperCount).toBe(before.paperCount + 1);

    const draft = await createKeyboardSurvey(false);
    await page.goto(`/admin/surveys/${draft.id}/preview`);
    expect(await page.locator('main').innerText()).toContain('Преглед: отговорите не се записват');
    expect(await page.locator('main').innerText()).toContain('Ползвате ли градския транспорт?');
    await page.locator(`#q-${draft.ids.bus}`).check();
    await page.locator(`input[name="q.${draft.ids.rating}"][value="1"]`).check();
    await page.locator('button[value=next]').click();
    await page.waitForSelector('button[value=back]');
    expect(await page.locator('main').innerText()).toContain('Вашето предложение');
    expect(await page.locator('button[value=submit]').count()).toBe(0);
    await page.locator('button[value=back]').click();
    await page.waitForSelector('button[value=next]');
    expect(await page.locator(`#q-${draft.ids.bus}`).isChecked()).toBe(true);
    const stored = await draft.admin<{ responseCount: number; state: string }>(
      'GET',
      `/api/admin/surveys/${draft.id}`,
    );
    expect(stored).toMatchObject({ responseCount: 0, state: 'draft' });
    await context.close();
  });

  it('have no serious or critical axe violations, in Bulgarian and English', async () => {
    const draft = await createKeyboardSurvey(false);
    const problems: string[] = [];
    for (const locale of ['bg', 'en'] as const) {
      const { context } = await newContext(browser, sabor, { locale });
      const page = await context.newPage();
      const check = async (where: string) => {
        await waitForHydration(page);
        problems.push(
          ...(await seriousAccessibilityViolations(page)).map(
            (v) =>
              `${locale} ${where}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
          ),
        );
      };
      await page.goto('/surveys');
      await check('list');
      await page.goto(`/surveys/${openSurvey.id}`);
      await check('section 1');
      const informed = question(
        openSurvey,
        'Чувствате ли се информирани за решенията на общината?',
      );
      await page.locator(`#q-${informed.id}`).check();
      await page.locator('button[value=next]').click();
      await page.waitForSelector('button[value=submit]');
      await check('section 2');
      const rating = question(openSurvey, 'Как оценявате комуникацията като цяло?');
      await page.locator(`input[name="q.${rating.id}"][value="3"]`).check();
      await page.locator('button[value=submit]').click();
      await page.waitForSelector('.survey-thanks');
      await check('thank-you');

      await signIn(page, demo.admin.email, demo.admin.password);
      await page.goto(`/admin/surveys/${draft.id}/preview`);
      await check('preview');
      await page.goto(`/admin/surveys/${openSurvey.id}/paper`);
      await check('paper');
      await context.close();
    }
    expect(problems).toEqual([]);
  });
});
