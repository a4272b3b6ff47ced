import type { Survey, SurveyResults } from '@sabor/contracts';
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
/** The demo survey that is open, answerable by anyone, with live results. */
let openSurvey: Survey;
/** The demo survey that is closed, with public results. */
let closedSurvey: Survey;

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${sabor.origin}${path}`);
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as T;
}

const resultsPath = (survey: { id: string }) => `/surveys/${survey.id}/results`;
const questions = (survey: Survey) => survey.sections.flatMap((section) => section.questions);

beforeAll(async () => {
  if (!run) return;
  sabor = sharedSabor();
  browser = await connectBrowser();
  const list = await getJson<{ items: { id: string; titleBg: string; state: string }[] }>(
    '/api/surveys',
  );
  const find = async (title: string) => {
    const item = list.items.find((s) => s.titleBg === title);
    if (!item) throw new Error(`demo survey missing: ${title}`);
    return getJson<Survey>(`/api/surveys/${item.id}`);
  };
  [openSurvey, closedSurvey] = await Promise.all([
    find('Как оценявате комуникацията на общината с гражданите?'),
    find('Удовлетвореност от обслужването в Центъра за услуги'),
  ]);
});
afterAll(async () => {
  await browser?.close();
});

/** An anonymous answer to the open demo survey's required questions, as a browser would send it. */
async function answerOpenSurveyAnonymously(): Promise<void> {
  const [informed] = questions(openSurvey).filter((q) => q.kind === 'single_choice');
  const rating = questions(openSurvey).find((q) => q.kind === 'scale');
  const response = await fetch(`${sabor.origin}/api/surveys/${openSurvey.id}/responses`, {
    method: 'POST',
    headers: {
      origin: sabor.origin,
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
    },
    body: JSON.stringify({
      answers: {
        [informed!.id]: { optionIds: [informed!.options[0]!.id] },
        [rating!.id]: { number: 4 },
      },
    }),
  });
  if (response.status !== 201)
    throw new Error(`answer: ${response.status} ${await response.text()}`);
}

const squash = (text: string) => text.replace(/\s+/g, '');

describe.skipIf(!run)('survey results', () => {
  it('is axe clean in both languages, anonymous and as a moderator with the hide forms open', async () => {
    for (const language of ['bg', 'en'] as const) {
      const anonymous = await newContext(browser, sabor, { locale: language });
      const moderator = await newContext(browser, sabor, { locale: language });
      const visitorPage = await anonymous.context.newPage();
      const moderatorPage = await moderator.context.newPage();
      await signIn(moderatorPage, demo.moderator.email, demo.moderator.password);
      for (const survey of [openSurvey, closedSurvey]) {
        const title = language === 'en' && survey.titleEn ? survey.titleEn : survey.titleBg;
        for (const page of [visitorPage, moderatorPage]) {
          await page.goto(resultsPath(survey));
          await waitForHydration(page);
          expect(await page.locator('h1').innerText()).toBe(title);
          expect(await page.locator('main .result-table').count()).toBeGreaterThan(0);
        }
        // The visitor gets no moderation forms; the moderator gets one per free-text answer.
        expect(await visitorPage.locator('.hide-picker').count()).toBe(0);
        const pickers = moderatorPage.locator('.hide-picker');
        if ((await pickers.count()) > 0) await pickers.first().locator('summary').click();
        for (const page of [visitorPage, moderatorPage]) {
          expect(await seriousAccessibilityViolations(page)).toEqual([]);
        }
      }
      expect(await moderatorPage.locator('.hide-picker').count()).toBe(0); // closed survey: no texts
      await moderatorPage.goto(resultsPath(openSurvey));
      expect(await moderatorPage.locator('.hide-picker').count()).toBeGreaterThan(0);
      expect(anonymous.cspViolations).toEqual([]);
      expect(moderator.cspViolations).toEqual([]);
      await anonymous.context.close();
      await moderator.context.close();
    }
  });

  it('shows the numbers the API gives, per option, in the page language', async () => {
    const results = await getJson<SurveyResults>(`/api/surveys/${openSurvey.id}/results`);
    const { context } = await newContext(browser, sabor, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(resultsPath(openSurvey));
    expect(await page.locator('[data-total=responses]').innerText()).toBe(
      String(results.responseCount),
    );
    expect(await page.locator('[data-total=anonymous]').innerText()).toBe(
      String(results.anonymousCount),
    );
    expect(await page.locator('[data-total=paper]').innerText()).toBe(String(results.paperCount));
    for (const result of results.questions.filter((q) => q.kind.endsWith('_choice'))) {
      for (const option of result.options ?? []) {
        const row = page.locator(
          `[data-question="${result.questionId}"] tr[data-option="${option.optionId}"]`,
        );
        expect(await row.locator('[data-count]').innerText()).toBe(String(option.count));
        expect(squash(await row.locator('[data-percent]').innerText())).toBe(
          `${option.percent.toFixed(1).replace('.', ',')}%`,
        );
      }
    }
    // The scale's average, in Bulgarian notation.
    const scale = results.questions.find((q) => q.kind === 'scale')!;
    const average = new Intl.NumberFormat('bg-BG', { maximumFractionDigits: 2 }).format(
      scale.average!,
    );
    expect(
      await page.locator(`[data-question="${scale.questionId}"] .result-average`).innerText(),
    ).toContain(average);
    await context.close();
  });

  it('updates live while open and announces the new total', async () => {
    const { context, cspViolations } = await newContext(browser, sabor);
    const page = await context.newPage();
    await page.goto(resultsPath(openSurvey));
    await waitForHydration(page);
    const total = page.locator('[data-total=responses]');
    const before = Number(await total.innerText());

    // Answered before the socket may have subscribed: the page follows from the bookmark it was
    // rendered with, so this response is not missed.
    await answerOpenSurveyAnonymously();
    const expected = before + 1;
    await expect.poll(() => total.innerText(), { timeout: 15_000 }).toBe(String(expected));
    const api = await getJson<SurveyResults>(`/api/surveys/${openSurvey.id}/results`);
    expect(api.responseCount).toBe(expected);
    await expect
      .poll(() => page.locator('.survey-results-announcement').innerText(), { timeout: 15_000 })
      .toBe(`Резултатите са обновени: ${expected} отговора`);
    expect(await page.locator('.survey-results-announcement').getAttribute('aria-live')).toBe(
      'polite',
    );
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('lets a moderator hide a free-text answer without JavaScript, and restore it', async () => {
    const asModerator = await apiAs(sabor, demo.moderator);
    const staffResults = await asModerator<SurveyResults>(
      'GET',
      `/api/surveys/${openSurvey.id}/results`,
    );
    const textResult = staffResults.questions.find(
      (q) => (q.kind === 'short_text' || q.kind === 'long_text') && (q.texts ?? []).length > 0,
    )!;
    const answer = textResult.texts!.find((t) => !t.hidden)!;
    const item = (page: Page) => page.locator(`li[data-answer="${answer.answerId}"]`);

    const { context } = await newContext(browser, sabor, { javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, demo.moderator.email, demo.moderator.password);
    await page.goto(resultsPath(openSurvey));
    const visitor = await newContext(browser, sabor, { javaScriptEnabled: false });
    const visitorPage = await visitor.context.newPage();
    await visitorPage.goto(resultsPath(openSurvey));
    expect(await item(visitorPage).innerText()).toContain(answer.text);

    // Without a reason nothing is hidden; the form says why, beside the answer.
    await item(page).locator('summary').click();
    await item(page).locator('button[type=submit]').click();
    await item(page).locator('.error-summary').waitFor();
    expect(await item(page).locator('.field-error').innerText()).toContain('задължително');
    expect(await item(page).locator('.badge-warn').count()).toBe(0);

    await item(page).locator('select[name=reasonCode]').selectOption('personal_data');
    await item(page).locator('input[name=reasonText]').fill('телефонен номер');
    await item(page).locator('button[type=submit]').click();
    await page.locator('.notice', { hasText: 'Отговорът е скрит.' }).waitFor();
    expect(await item(page).innerText()).toContain(answer.text);
    expect(await item(page).locator('.badge-warn').innerText()).toBe('Скрит');

    await visitorPage.reload();
    expect(await item(visitorPage).count()).toBe(0);
    expect(await visitorPage.locator('main').innerText()).not.toContain(answer.text);

    await item(page)
      .getByRole('button', { name: /Покажи отново/ })
      .click();
    await page.locator('.notice', { hasText: 'Отговорът е показан отново.' }).waitFor();
    expect(await item(page).locator('.badge-warn').count()).toBe(0);
    await visitorPage.reload();
    expect(await item(visitorPage).innerText()).toContain(answer.text);
    await context.close();
    await visitor.context.close();
  });

  it('with JavaScript, hides and restores in place, keeping the focus on the answer', async () => {
    const asModerator = await apiAs(sabor, demo.moderator);
    const staffResults = await asModerator<SurveyResults>(
      'GET',
      `/api/surveys/${openSurvey.id}/results`,
    );
    // An "other" text of a choice question this time.
    const otherResult = staffResults.questions.find(
      (q) => q.kind.endsWith('_choice') && (q.texts ?? []).length > 0,
    )!;
    const answer = otherResult.texts![0]!;
    const publicTexts = async () =>
      (await getJson<SurveyResults>(`/api/surveys/${openSurvey.id}/results`)).questions
        .flatMap((q) => q.texts ?? [])
        .map((t) => t.answerId);

    const { context, cspViolations } = await newContext(browser, sabor, { locale: 'en' });
    const page = await context.newPage();
    await signIn(page, demo.moderator.email, demo.moderator.password);
    await page.goto(resultsPath(openSurvey));
    await waitForHydration(page);
    const item = page.locator(`li[data-answer="${answer.answerId}"]`);
    await item.locator('summary').click();
    await item.locator('select[name=reasonCode]').selectOption('other');
    await item.locator('input[name=reasonText]').fill('Адрес на човек');
    await item.locator('button[type=submit]').click();
    await page.locator('.notice', { hasText: 'The answer is hidden.' }).waitFor();
    expect(new URL(page.url()).search).toBe('');
    expect(await item.locator('.badge-warn').innerText()).toBe('Hidden');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent ?? ''))
      .toContain('Show again');
    expect(await publicTexts()).not.toContain(answer.answerId);

    await page.keyboard.press('Enter');
    await page.locator('.notice', { hasText: 'The answer is shown again.' }).waitFor();
    expect(await item.locator('.badge-warn').count()).toBe(0);
    expect(await publicTexts()).toContain(answer.answerId);
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('explains, without numbers, when the results are for staff only', async () => {
    const asAdmin = await apiAs(sabor, demo.admin);
    const id = () => crypto.randomUUID();
    const created = await asAdmin<Survey>('POST', '/api/admin/surveys', {
      titleBg: 'Вътрешна анкета за служители',
      audience: 'anyone',
      resultsVisibility: 'never',
      sections: [
        {
          id: id(),
          titleBg: 'Част',
          questions: [
            {
              id: id(),
              kind: 'single_choice',
              textBg: 'Харесва ли ви?',
              options: [
                { id: id(), labelBg: 'Да' },
                { id: id(), labelBg: 'Не' },
              ],
            },
          ],
        },
      ],
    });
    await asAdmin('POST', `/api/admin/surveys/${created.id}/publish`, {});

    for (const language of ['bg', 'en'] as const) {
      const { context } = await newContext(browser, sabor, { locale: language });
      const page = await context.newPage();
      const response = await page.goto(resultsPath(created));
      expect(response?.status()).toBe(200);
      expect(await page.locator('h1').innerText()).toBe('Вътрешна анкета за служители');
      expect(await page.locator('main .callout').innerText()).toContain(
        language === 'bg' ? 'само за служителите' : 'for municipal staff only',
      );
      expect(await page.locator('main table').count()).toBe(0);
      expect(await page.locator('[data-total]').count()).toBe(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await context.close();
    }

    // Staff see the numbers, told that they are not public.
    const { context } = await newContext(browser, sabor);
    const page = await context.newPage();
    await signIn(page, demo.admin.email, demo.admin.password);
    await page.goto(resultsPath(created));
    expect(await page.locator('[data-total=responses]').innerText()).toBe('0');
    expect(await page.locator('main').innerText()).toContain('не са публични');
    await context.close();
  });
});
