import { randomUUID } from 'node:crypto';
import type { Survey, SurveyList } from '@sabor/contracts';
import type { Browser, Locator, Page } from 'playwright-core';
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
let admin: Awaited<ReturnType<typeof apiAs>>;
/** The demo's open survey (has responses, so its structure is locked) and its closed one. */
let openId: string;
let closedId: string;

beforeAll(async () => {
  if (!run) return;
  sabor = sharedSabor();
  browser = await connectBrowser();
  admin = await apiAs(sabor, demo.admin);
  const list = await admin<SurveyList>('GET', '/api/admin/surveys');
  const find = (start: string) => {
    const item = list.items.find((s) => s.titleBg.startsWith(start));
    if (!item) throw new Error(`the demo survey "${start}…" is missing`);
    return item.id;
  };
  openId = find('Как оценявате комуникацията');
  closedId = find('Удовлетвореност от обслужването');
});
afterAll(async () => {
  await browser?.close();
});

/** Presses a submit button and waits for the page that answers (no JavaScript). */
async function press(page: Page, button: Locator) {
  await Promise.all([page.waitForEvent('load'), button.click()]);
}

const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);
const command = (page: Page, value: string) =>
  page.locator(`button[name=command][value="${value}"]`);
const saveButton = (page: Page) => page.locator('form.survey-builder > .actions button').first();
const hiddenValue = (page: Page, name: string) =>
  page.locator(`input[type=hidden][name="${name}"]`).inputValue();

async function adminPage(options: { locale?: 'bg' | 'en'; javaScriptEnabled?: boolean } = {}) {
  const { context, cspViolations } = await newContext(browser, sabor, options);
  const page = await context.newPage();
  await signIn(page, demo.admin.email, demo.admin.password);
  return { context, page, cspViolations };
}

/** What the page's live regions say (the layout's flash and the builder's own). */
const statusText = async (page: Page) =>
  (await page.locator('.status-region').allInnerTexts()).join('\n');

const surveyIdOf = (page: Page) => new URL(page.url()).pathname.split('/').pop() ?? '';

describe.skipIf(!run)('the survey builder without JavaScript', () => {
  it('builds a two-section survey with a condition, reorders, saves and publishes it', async () => {
    const { context, page, cspViolations } = await adminPage({ javaScriptEnabled: false });
    await page.goto('/admin/surveys');
    await press(page, page.locator('main a', { hasText: 'Нова анкета' }));
    expect(new URL(page.url()).pathname).toBe('/admin/surveys/new');

    await field(page, 'titleBg').fill('Паркове и градинки');
    await field(page, 'sections.0.titleBg').fill('Посещения');
    const choiceId = await hiddenValue(page, 'sections.0.questions.0.id');
    const sectionId = await hiddenValue(page, 'sections.0.id');
    await field(page, 'sections.0.questions.0.textBg').fill('Колко често ходите в парка?');
    await field(page, 'sections.0.questions.0.options.0.labelBg').fill('Всеки ден');
    await field(page, 'sections.0.questions.0.options.1.labelBg').fill('Всяка седмица');
    await field(page, 'sections.0.questions.0.allowOther').check();
    await press(page, command(page, `option.add:${choiceId}:option`));
    // Nothing is saved yet, and what was typed is kept.
    expect(await statusText(page)).toContain('Промените не са запазени');
    expect(await field(page, 'sections.0.questions.0.options.1.labelBg').inputValue()).toBe(
      'Всяка седмица',
    );
    await field(page, 'sections.0.questions.0.options.2.labelBg').fill('Рядко');
    const rarelyId = await hiddenValue(page, 'sections.0.questions.0.options.2.id');

    // A scale 1–5 with end labels.
    await field(page, `newKind.${sectionId}`).selectOption('scale');
    await press(page, command(page, `question.add:${sectionId}`));
    await field(page, 'sections.0.questions.1.textBg').fill('Колко е чисто?');
    expect(await field(page, 'sections.0.questions.1.min').inputValue()).toBe('1');
    expect(await field(page, 'sections.0.questions.1.max').inputValue()).toBe('5');
    await field(page, 'sections.0.questions.1.minLabelBg').fill('Много мръсно');
    await field(page, 'sections.0.questions.1.maxLabelBg').fill('Безупречно');
    const scaleId = await hiddenValue(page, 'sections.0.questions.1.id');

    // A second section whose first question becomes a 2 × 3 matrix.
    await press(page, command(page, 'section.add'));
    await field(page, 'sections.1.titleBg').fill('Оценки');
    const matrixId = await hiddenValue(page, 'sections.1.questions.0.id');
    const secondSectionId = await hiddenValue(page, 'sections.1.id');
    await field(page, 'sections.1.questions.0.kind').selectOption('matrix');
    await press(page, command(page, `question.kind:${matrixId}`));
    await field(page, 'sections.1.questions.0.textBg').fill('Оценете');
    // The choice's two options became rows and a column was added: two more columns.
    await press(page, command(page, `option.add:${matrixId}:column`));
    await press(page, command(page, `option.add:${matrixId}:column`));
    const labels = ['Пейки', 'Осветление', 'Добре', 'Средно', 'Зле'];
    for (const [k, label] of labels.entries()) {
      await field(page, `sections.1.questions.0.options.${k}.labelBg`).fill(label);
    }

    // A short text shown only when the first question is answered "Рядко".
    await field(page, `newKind.${secondSectionId}`).selectOption('short_text');
    await press(page, command(page, `question.add:${secondSectionId}`));
    await field(page, 'sections.1.questions.1.textBg').fill('Защо рядко?');
    await field(page, 'sections.1.questions.1.showIf').selectOption(`${choiceId}:${rarelyId}`);
    const textId = await hiddenValue(page, 'sections.1.questions.1.id');

    // Reorder: "Рядко" one up, the scale before the choice question.
    await press(page, command(page, `option.up:${rarelyId}`));
    await press(page, command(page, `question.up:${scaleId}`));
    expect(await field(page, 'sections.0.questions.0.textBg').inputValue()).toBe('Колко е чисто?');

    await press(page, saveButton(page));
    expect(page.url()).toMatch(/\/admin\/surveys\/[0-9a-f-]{36}$/);
    expect(await statusText(page)).toContain('създадена');
    const id = surveyIdOf(page);

    await press(page, page.locator('main a', { hasText: 'Публикуване…' }));
    expect(await page.locator('main').innerText()).toContain('Да се публикува ли анкетата?');
    await press(page, page.locator('form[action="?/publish"] button[type=submit]'));
    expect(new URL(page.url()).search).toBe('');
    expect(await page.locator('.panel').innerText()).toContain('Публикувана');

    const survey = await admin<Survey>('GET', `/api/admin/surveys/${id}`);
    expect(survey.state).toBe('published');
    const [first, second] = survey.sections;
    expect(first?.questions.map((q) => [q.id, q.kind])).toEqual([
      [scaleId, 'scale'],
      [choiceId, 'single_choice'],
    ]);
    expect(first?.questions[0]).toMatchObject({
      min: 1,
      max: 5,
      minLabelBg: 'Много мръсно',
      maxLabelBg: 'Безупречно',
    });
    expect(first?.questions[1]?.allowOther).toBe(true);
    expect(first?.questions[1]?.options.map((o) => o.labelBg)).toEqual([
      'Всеки ден',
      'Рядко',
      'Всяка седмица',
    ]);
    expect(second?.questions.map((q) => [q.id, q.kind])).toEqual([
      [matrixId, 'matrix'],
      [textId, 'short_text'],
    ]);
    const matrix = second?.questions[0]?.options ?? [];
    expect(matrix.filter((o) => o.role === 'row').map((o) => o.labelBg)).toEqual([
      'Пейки',
      'Осветление',
    ]);
    expect(matrix.filter((o) => o.role === 'column').map((o) => o.labelBg)).toEqual([
      'Добре',
      'Средно',
      'Зле',
    ]);
    expect(second?.questions[1]?.showIf).toEqual({ questionId: choiceId, optionIds: [rarelyId] });

    // The list shows it with its state and settings.
    await page.goto('/admin/surveys');
    const row = page.locator('main tbody tr', { hasText: 'Паркове и градинки' });
    expect(await row.innerText()).toContain('Публикувана');
    await context.close();
    expect(cspViolations).toEqual([]);
  });

  it('shows an API field error next to its field and in the summary, and saves nothing', async () => {
    const { context, page } = await adminPage({ javaScriptEnabled: false });
    const before = (await admin<SurveyList>('GET', '/api/admin/surveys')).items.length;
    await page.goto('/admin/surveys/new');
    await field(page, 'titleBg').fill('Грешна скала');
    await field(page, 'sections.0.titleBg').fill('Раздел');
    const questionId = await hiddenValue(page, 'sections.0.questions.0.id');
    await field(page, 'sections.0.questions.0.kind').selectOption('scale');
    await press(page, command(page, `question.kind:${questionId}`));
    await field(page, 'sections.0.questions.0.textBg').fill('Оценка');
    await field(page, 'sections.0.questions.0.min').fill('5');
    await field(page, 'sections.0.questions.0.max').fill('3');
    await press(page, saveButton(page));

    const summary = page.locator('.error-summary');
    const link = summary.locator('a[href="#sv-sections.0.questions.0.max"]');
    expect(await link.innerText()).toContain('Раздел 1, Въпрос 1: Скала до');
    const input = page.locator('[id="sv-sections.0.questions.0.max"]');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await input.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).toContain('sv-sections.0.questions.0.max-error');
    // The draft stays as typed.
    expect(await input.inputValue()).toBe('3');
    expect(await field(page, 'titleBg').inputValue()).toBe('Грешна скала');
    expect((await admin<SurveyList>('GET', '/api/admin/surveys')).items).toHaveLength(before);
    await context.close();
  });

  it('locks the structure of a survey with responses, but lets texts be corrected', async () => {
    // A survey of its own: the demo's open one is answered in other files by its question texts.
    const [questionId, yes] = [randomUUID(), randomUUID()];
    const answered = await admin<Survey>('POST', '/api/admin/surveys', {
      titleBg: 'Анкета с отговор',
      audience: 'anyone',
      sections: [
        {
          id: randomUUID(),
          titleBg: 'Раздел',
          questions: [
            {
              id: questionId,
              kind: 'single_choice',
              textBg: 'Харесва ли ви новата градинка?',
              options: [
                { id: yes, labelBg: 'Да' },
                { id: randomUUID(), labelBg: 'Не' },
              ],
            },
          ],
        },
      ],
    });
    await admin('POST', `/api/admin/surveys/${answered.id}/publish`, {});
    await admin('POST', `/api/surveys/${answered.id}/responses`, {
      answers: { [questionId]: { optionIds: [yes] } },
    });
    const { context, page } = await adminPage({ javaScriptEnabled: false });
    await page.goto(`/admin/surveys/${answered.id}`);
    expect(await page.locator('.survey-locked').innerText()).toContain('вече има отговори');
    expect(await page.locator('main select[name$=".kind"]').count()).toBe(0);
    expect(await page.locator('button[value^="question.add"]').count()).toBe(0);
    expect(await page.locator('button[value^="question.remove"]').count()).toBe(0);
    expect(await page.locator('button[value^="option.remove"]').count()).toBe(0);
    expect(await page.locator('button[value="section.add"]').count()).toBe(0);

    const text = field(page, 'sections.0.questions.0.textBg');
    const corrected = `${await text.inputValue()} (поправено)`;
    await text.fill(corrected);
    await press(page, saveButton(page));
    expect(await statusText(page)).toContain('запазена');
    const survey = await admin<Survey>('GET', `/api/admin/surveys/${answered.id}`);
    expect(survey.sections[0]?.questions[0]?.textBg).toBe(corrected);
    expect(survey.responseCount).toBeGreaterThan(0);
    await context.close();
  });

  it('shows a survey locked by a response that arrived meanwhile at the top, keeping the draft', async () => {
    const questionId = randomUUID();
    const created = await admin<Survey>('POST', '/api/admin/surveys', {
      titleBg: 'Отговор междувременно',
      audience: 'anyone',
      sections: [
        {
          id: randomUUID(),
          titleBg: 'Раздел',
          questions: [{ id: questionId, kind: 'short_text', textBg: 'Мнение?' }],
        },
      ],
    });
    await admin('POST', `/api/admin/surveys/${created.id}/publish`, {});
    const { context, page } = await adminPage({ javaScriptEnabled: false });
    await page.goto(`/admin/surveys/${created.id}`);
    expect(await page.locator('.survey-locked').count()).toBe(0);
    // Someone answers while the admin is editing; then the admin changes the kind and saves.
    await admin('POST', `/api/surveys/${created.id}/responses`, {
      answers: { [questionId]: { text: 'Добре' } },
    });
    await field(page, 'sections.0.questions.0.kind').selectOption('long_text');
    await field(page, 'sections.0.questions.0.textBg').fill('Вашето мнение?');
    await press(page, saveButton(page));
    expect(await page.locator('.error-summary').innerText()).toContain('вече има отговори');
    expect(await field(page, 'sections.0.questions.0.textBg').inputValue()).toBe('Вашето мнение?');
    // The form is now locked and shows the saved kind, so correcting the text can be saved.
    expect(await page.locator('.survey-locked').count()).toBe(1);
    expect(await hiddenValue(page, 'sections.0.questions.0.kind')).toBe('short_text');
    expect(
      (await admin<Survey>('GET', `/api/admin/surveys/${created.id}`)).sections[0]?.questions[0],
    ).toMatchObject({ kind: 'short_text', textBg: 'Мнение?' });
    await press(page, saveButton(page));
    expect(await statusText(page)).toContain('запазена');
    const survey = await admin<Survey>('GET', `/api/admin/surveys/${created.id}`);
    expect(survey.sections[0]?.questions[0]).toMatchObject({
      kind: 'short_text',
      textBg: 'Вашето мнение?',
    });
    await context.close();
  });

  it('duplicates the closed survey into a new draft with its questions', async () => {
    const { context, page } = await adminPage({ javaScriptEnabled: false });
    const original = await admin<Survey>('GET', `/api/admin/surveys/${closedId}`);
    await page.goto(`/admin/surveys/${closedId}`);
    expect(await page.locator('main').innerText()).toContain('Затворената анкета не се редактира');
    await press(page, page.locator('form[action="?/duplicate"] button'));
    const copyId = surveyIdOf(page);
    expect(copyId).not.toBe(closedId);
    expect(copyId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.locator('.panel').innerText()).toContain('Чернова');
    const questions = original.sections.flatMap((s) => s.questions);
    expect(await page.locator('.survey-question').count()).toBe(questions.length);
    expect(await field(page, 'sections.0.questions.0.textBg').inputValue()).toBe(
      questions[0]?.textBg,
    );
    await context.close();
  });

  it('refuses control characters and shows markup in titles as text', async () => {
    const { context, page } = await adminPage({ javaScriptEnabled: false });
    await page.goto('/admin/surveys/new');
    await field(page, 'sections.0.titleBg').fill('Раздел');
    await field(page, 'sections.0.questions.0.textBg').fill('<img src=x onerror=alert(1)>');
    await field(page, 'sections.0.questions.0.options.0.labelBg').fill('<b>да</b>');
    await field(page, 'sections.0.questions.0.options.1.labelBg').fill('не');
    await field(page, 'titleBg').fill('Звънец\u0007');
    await press(page, saveButton(page));
    expect(await page.locator('.error-summary a[href="#sv-titleBg"]').count()).toBe(1);

    const hostile = '<script>window.pwned = 1</script> & <b>смело</b>';
    await field(page, 'titleBg').fill(hostile);
    await press(page, saveButton(page));
    expect(await page.locator('main h1').innerText()).toBe(hostile);
    expect(await page.locator('main script').count()).toBe(0);
    await page.goto('/admin/surveys');
    expect(await page.locator('main tbody').innerText()).toContain(hostile);
    await context.close();
  });
});

/** Presses Tab until the focused element matches `selector` (keyboard only). */
async function tabTo(page: Page, selector: string) {
  for (let i = 0; i < 400; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe.skipIf(!run)('the survey builder with the keyboard', () => {
  it('adds a question and an option and saves, with keys only', async () => {
    const sectionId = randomUUID();
    const created = await admin<Survey>('POST', '/api/admin/surveys', {
      titleBg: 'Клавиатура',
      sections: [
        {
          id: sectionId,
          titleBg: 'Раздел',
          questions: [{ id: randomUUID(), kind: 'short_text', textBg: 'Име?' }],
        },
      ],
    });
    const { context, page } = await adminPage({ locale: 'en' });
    await page.goto(`/admin/surveys/${created.id}`);
    await waitForHydration(page);

    await tabTo(page, `button[value="question.add:${sectionId}"]`);
    await page.keyboard.press('Enter');
    // Focus moves to the new question (its kind), a single choice with two options.
    await page.waitForFunction(() =>
      document.activeElement?.getAttribute('name')?.endsWith('questions.1.kind'),
    );
    await tabTo(page, '[name="sections.0.questions.1.textBg"]');
    await page.keyboard.type('Favourite season?');
    await tabTo(page, '[name="sections.0.questions.1.options.0.labelBg"]');
    await page.keyboard.type('Пролет');
    await tabTo(page, '[name="sections.0.questions.1.options.1.labelBg"]');
    await page.keyboard.type('Лято');
    await tabTo(page, 'button[value^="option.add:"]');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      document.activeElement?.getAttribute('name')?.endsWith('questions.1.options.2.labelBg'),
    );
    await page.keyboard.type('Есен');
    // Moving it up keeps the keyboard on the button pressed.
    await tabTo(page, 'button[value^="option.up:"]');
    const moved = await page.evaluate(() => document.activeElement?.getAttribute('value'));
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (value) =>
        document.activeElement?.getAttribute('value') === value &&
        (document.querySelector<HTMLInputElement>(
          '[name="sections.0.questions.1.options.1.labelBg"]',
        )?.value ?? '') === 'Есен',
      moved,
    );
    // Enter in a field saves (the first button of the form), not a structure command.
    await tabTo(page, '[name$=".labelBg"]');
    await page.keyboard.press('Enter');
    await page.locator('.status-region', { hasText: 'The survey was saved.' }).waitFor();
    expect(await statusText(page)).not.toContain('not saved');

    const survey = await admin<Survey>('GET', `/api/admin/surveys/${created.id}`);
    const added = survey.sections[0]?.questions[1];
    expect(added?.textBg).toBe('Favourite season?');
    expect(added?.options.map((o) => o.labelBg)).toEqual(['Пролет', 'Есен', 'Лято']);
    await context.close();
  });
});

describe.skipIf(!run).each(['bg', 'en'] as const)('survey admin pages in %s', (locale) => {
  it('have no serious or critical axe violations', async () => {
    const { context, page, cspViolations } = await adminPage({ locale });
    const problems: string[] = [];
    const audit = async (label: string) => {
      for (const v of await seriousAccessibilityViolations(page)) {
        problems.push(
          `${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        );
      }
    };
    for (const path of [
      '/admin/surveys',
      '/admin/surveys/new',
      `/admin/surveys/${openId}`,
      `/admin/surveys/${openId}?step=close`,
      `/admin/surveys/${closedId}`,
    ]) {
      await page.goto(path);
      await audit(path);
    }
    // The builder with an error summary.
    await page.goto('/admin/surveys/new');
    await waitForHydration(page);
    await saveButton(page).click();
    await page.waitForSelector('.error-summary');
    await audit('new with errors');
    await context.close();
    expect(problems).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
