import { randomUUID } from 'node:crypto';
import type { SurveyInput, SurveyQuestionInput, SurveyQuestionKind } from '@sabor/contracts';
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
  startSabor,
  type Sabor,
} from './harness';

/*
 * The narrowest phone a resident may hold: 320 CSS pixels (WCAG 1.4.10 reflow). No page may scroll
 * sideways there; wide tables scroll inside their own labelled region instead.
 */
const narrow = { width: 320, height: 640 };
const run = browserAvailable();

type Role = 'visitor' | 'resident' | 'moderator' | 'admin';
const accounts = { resident: demo.resident, moderator: demo.moderator, admin: demo.admin } as const;

let sabor: Sabor;
let browser: Browser;
/** Every page of the site, by who may see it; paths with ids come from the demo content. */
let pagesOf: Record<Role, Visit[]>;

/** A page, or a survey's page walked on to the section that holds its matrix question. */
type Visit = string | { survey: string };

interface SurveyStructure {
  id: string;
  sections: { questions: { kind: string }[] }[];
}

/** A URL and a compound word with no place to break a line: what staff paste into a survey. */
const unbroken = {
  bg: 'Общинскатапрограмазаенергийнаефективностнамногофамилнитежилищнисгради',
  en: 'https://sabor.example/consultations/2026/energy-efficiency-of-multi-family-residential-buildings',
};

/**
 * A survey with a question of every kind, in both languages, whose title, texts, help, options,
 * matrix rows and columns and scale ends are long and carry unbroken words: the demo's survey texts
 * are short, and a page may fit them while a real survey widens it.
 */
function wordySurvey(): SurveyInput {
  const option = (n: number, role: 'option' | 'row' | 'column' = 'option') => ({
    id: randomUUID(),
    role,
    labelBg: `${n}. Напълно съгласен съм с предложението на общинския съвет ${n === 2 ? unbroken.bg : ''}`,
    labelEn: `${n}. I fully agree with the municipal council's proposal ${n === 2 ? unbroken.en : ''}`,
  });
  const question = (kind: SurveyQuestionKind, fields: Partial<SurveyQuestionInput> = {}) => ({
    id: randomUUID(),
    kind,
    required: true,
    textBg: `Как оценявате ${unbroken.bg} и новата организация на движението в центъра?`,
    textEn: `How do you rate ${unbroken.en} and the new traffic arrangements in the centre?`,
    helpBg: `Вижте ${unbroken.en} и ${unbroken.bg}.`,
    helpEn: `See ${unbroken.en} and ${unbroken.bg}.`,
    ...fields,
  });
  const options = (count: number, role?: 'row' | 'column') =>
    Array.from({ length: count }, (_, n) => option(n + 1, role));
  return {
    titleBg: `Анкета за ${unbroken.bg}`,
    titleEn: `A survey on ${unbroken.en}`,
    introBg: `Прочетете ${unbroken.en} преди да отговорите.`,
    introEn: `Read ${unbroken.en} before you answer.`,
    audience: 'anyone',
    sections: [
      {
        id: randomUUID(),
        titleBg: `Раздел за ${unbroken.bg}`,
        titleEn: `A section on ${unbroken.en}`,
        questions: [
          question('single_choice', { options: options(4), allowOther: true }),
          question('multiple_choice', { options: options(4), min: 1, max: 3 }),
          question('short_text'),
          question('long_text'),
          question('number', { min: 0, max: 1_000_000 }),
          question('date'),
          question('scale', {
            min: 0,
            max: 10,
            minLabelBg: 'Изключителнонезадоволително',
            minLabelEn: 'Extraordinarilyunsatisfactory',
            maxLabelBg: 'Изключителнозадоволително',
            maxLabelEn: 'Extraordinarilysatisfactory',
          }),
          question('ranking', { options: options(4) }),
          question('matrix', { options: [...options(3, 'row'), ...options(5, 'column')] }),
        ],
      },
    ],
  };
}

interface Listed {
  id: string;
  state?: string;
  role?: string;
}

beforeAll(async () => {
  if (!run) return;
  // A server of its own: it visits every survey, event and consultation there is, so what other
  // files create on the shared server would change what it looks at from one run to the next.
  sabor = await startSabor();
  browser = await connectBrowser();
  const asAdmin = await apiAs(sabor, demo.admin);
  const list = async (path: string) => (await asAdmin<{ items: Listed[] }>('GET', path)).items;
  const [consultations, surveys, events, queue, users, outbox] = await Promise.all([
    list('/api/admin/consultations'),
    list('/api/admin/surveys'),
    list('/api/admin/events'),
    list('/api/moderation/items'),
    list('/api/admin/users'),
    list('/api/admin/outbox'),
  ]);
  const open = consultations.find((c) => c.state === 'open');
  const reported = consultations.find((c) => c.state === 'report_published');
  const resident = users.find((u) => u.role === 'resident');
  if (!open || !reported || !resident || surveys.length === 0 || events.length === 0)
    throw new Error('the demo content lacks a consultation, survey, event or resident');
  const published = (items: Listed[]) => items.filter((item) => item.state !== 'draft');
  // The survey being answered whose form has a matrix (grid) question.
  const structures = await Promise.all(
    surveys
      .filter((s) => s.state === 'published')
      .map((s) => asAdmin<SurveyStructure>('GET', `/api/surveys/${s.id}`)),
  );
  const matrixSurvey = structures.find((s) =>
    s.sections.some((section) => section.questions.some((q) => q.kind === 'matrix')),
  );
  if (!matrixSurvey) throw new Error('the demo content lacks an open survey with a matrix');
  // Published, so that its paper-entry page takes responses (the survey lists show it too); made
  // after the listing, so that only the pages named below visit it.
  const wordy = await asAdmin<Listed>('POST', '/api/admin/surveys', wordySurvey());
  await asAdmin('POST', `/api/admin/surveys/${wordy.id}/publish`, {});

  const publicPages = [
    '/',
    '/consultations',
    ...published(consultations).map((c) => `/consultations/${c.id}`),
    `/consultations/${reported.id}/report`,
    '/surveys',
    `/surveys/${wordy.id}`,
    ...published(surveys).flatMap((s) => [`/surveys/${s.id}`, `/surveys/${s.id}/results`]),
    { survey: matrixSurvey.id },
    '/events',
    ...published(events).map((e) => `/events/${e.id}`),
    '/login',
    '/register',
    '/forgot-password',
    '/language',
    '/accessibility',
    '/privacy',
  ];
  pagesOf = {
    visitor: publicPages,
    resident: [
      '/account',
      '/account/data',
      '/account/notices',
      '/account/registrations',
      '/account/sessions',
      ...published(surveys).map((s) => `/surveys/${s.id}`),
      { survey: matrixSurvey.id },
      `/consultations/${open.id}`,
    ],
    moderator: [
      '/moderation',
      '/moderation?status=resolved',
      '/moderation/audit',
      ...queue.slice(0, 3).map((item) => `/moderation/items/${item.id}`),
      `/moderation/users/${resident.id}`,
    ],
    admin: [
      '/admin/consultations',
      '/admin/consultations/new',
      ...consultations.flatMap((c) => [
        `/admin/consultations/${c.id}`,
        `/admin/consultations/${c.id}/responses`,
        `/admin/consultations/${c.id}/report`,
      ]),
      '/admin/surveys',
      '/admin/surveys/new',
      ...surveys.flatMap((s) => [
        `/admin/surveys/${s.id}`,
        `/admin/surveys/${s.id}/preview`,
        `/admin/surveys/${s.id}/paper`,
      ]),
      `/admin/surveys/${wordy.id}`,
      `/admin/surveys/${wordy.id}/preview`,
      `/admin/surveys/${wordy.id}/paper`,
      '/admin/events',
      '/admin/events/new',
      ...events.flatMap((e) => [
        `/admin/events/${e.id}`,
        `/admin/events/${e.id}/attendees`,
        `/admin/events/${e.id}/check-in`,
      ]),
      '/admin/users',
      '/admin/outbox',
      ...outbox.slice(0, 1).map((mail) => `/admin/outbox/${mail.id}`),
      '/admin/moderation/settings',
      '/moderation/audit',
    ],
  };
});
afterAll(async () => {
  await browser?.close();
  await sabor?.stop();
});

/**
 * Opens a survey and answers each section (the first choice of every group) until its matrix
 * question shows, as a resident would on the way to it.
 */
async function openMatrixSection(page: Page, surveyId: string): Promise<void> {
  await page.goto(`/surveys/${surveyId}`);
  // A matrix row's radios are named q.<question>.row.<row>, whatever the markup around them.
  const matrix = page.locator('main input[type=radio][name*=".row."]');
  while ((await matrix.count()) === 0) {
    const next = page.locator('button[value=next]');
    if ((await next.count()) === 0) throw new Error(`survey ${surveyId} shows no matrix question`);
    const heading = await page.locator('#survey-section-heading').innerText();
    await page.evaluate(() => {
      const groups = new Set(
        [...document.querySelectorAll<HTMLInputElement>('main input[type=radio]')].map(
          (radio) => radio.name,
        ),
      );
      for (const name of groups)
        document.querySelector<HTMLInputElement>(
          `main input[type=radio][name="${name}"]`,
        )!.checked = true;
    });
    await next.click();
    await page.waitForFunction(
      (previous) => document.querySelector('#survey-section-heading')?.textContent !== previous,
      heading,
    );
  }
}

/**
 * How far the page reaches past the viewport, and if it does, which element reaches furthest
 * (ignoring what sits inside a scrolling or clipping box, which does not widen the page).
 */
async function sidewaysOverflow(page: Page) {
  return page.evaluate(() => {
    const viewport = window.innerWidth;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= viewport) return null;
    // Whether a scrolling or clipping box holds the element in. An absolutely positioned element
    // escapes such a box unless the box (or something inside it) is its containing block.
    const clipped = (element: Element) => {
      let absolute = getComputedStyle(element).position === 'absolute';
      for (let parent = element.parentElement; parent; parent = parent.parentElement) {
        if (parent === document.body || parent === document.documentElement) return false;
        const style = getComputedStyle(parent);
        if (!absolute && style.overflowX !== 'visible') return true;
        if (absolute && style.position !== 'static') {
          absolute = style.position === 'absolute';
          if (style.overflowX !== 'visible') return true;
        }
      }
      return false;
    };
    // Where an element's content ends: a word too long for its box spills out of it as text,
    // which no element's own box shows.
    const reach = (element: Element) => {
      const box = element.getBoundingClientRect();
      const spilled = getComputedStyle(element).overflowX === 'visible' ? element.scrollWidth : 0;
      return Math.max(box.right, box.left + spilled) + window.scrollX;
    };
    let widest: { element: Element; right: number } | null = null;
    for (const element of document.body.querySelectorAll('*')) {
      const right = reach(element);
      if (right <= viewport || clipped(element)) continue;
      // The furthest, and of equals the innermost (a later element in document order).
      if (!widest || right >= widest.right) widest = { element, right };
    }
    const describe = (element: Element) => {
      const classes = [...element.classList].map((name) => `.${name}`).join('');
      const id = element.id ? `#${element.id}` : '';
      const text = (element.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60);
      return `<${element.tagName.toLowerCase()}${id}${classes}> "${text}"`;
    };
    return {
      scrollWidth,
      viewport,
      widest: widest ? `${describe(widest.element)} reaching ${Math.round(widest.right)}px` : '?',
    };
  });
}

describe.skipIf(!run)('at 320 px wide', () => {
  const roles: Role[] = ['visitor', 'resident', 'moderator', 'admin'];
  for (const locale of ['bg', 'en'] as const) {
    for (const role of roles) {
      it(`no page scrolls sideways (${role}, ${locale})`, async () => {
        const { context } = await newContext(browser, sabor, { locale });
        const page = await context.newPage();
        if (role !== 'visitor') await signIn(page, accounts[role].email, accounts[role].password);
        await page.setViewportSize(narrow);
        const offending: string[] = [];
        for (const visit of pagesOf[role]) {
          let path: string;
          if (typeof visit === 'string') {
            path = visit;
            const response = await page.goto(path);
            expect(response?.status(), `${path} (${role}, ${locale})`).toBeLessThan(400);
          } else {
            path = `/surveys/${visit.survey} (the matrix question's section)`;
            await openMatrixSection(page, visit.survey);
            // Stacked on a phone: every choice in sight, none behind a box's own sideways scroll.
            const hiddenChoices = await page.evaluate(
              () =>
                [...document.querySelectorAll('main input[type=radio][name*=".row."]')].filter(
                  (radio) => radio.getBoundingClientRect().right > window.innerWidth,
                ).length,
            );
            if (hiddenChoices > 0)
              offending.push(`${path}: ${hiddenChoices} matrix choices past the screen's edge`);
            for (const violation of await seriousAccessibilityViolations(page))
              offending.push(`${path}: axe ${violation.id} (${violation.help})`);
          }
          const overflow = await sidewaysOverflow(page);
          if (overflow)
            offending.push(
              `${path}: ${overflow.scrollWidth}px wide in a ${overflow.viewport}px viewport; widest: ${overflow.widest}`,
            );
        }
        await context.close();
        // Joined, so the failure names every offending page and its widest element in full.
        expect(offending.join('\n'), `pages that scroll sideways (${role}, ${locale})`).toBe('');
      });
    }
  }
});
