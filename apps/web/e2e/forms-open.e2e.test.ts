import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiAs,
  browserAvailable,
  demo,
  connectBrowser,
  newContext,
  signIn,
  sharedSabor,
  waitForHydration,
  type Sabor,
} from './harness';

/** What a form control must never show a person: a value that leaked from the code. */
const leakedValue = /\bundefined\b|\bnull\b|\bNaN\b|\[object Object\]/;

type Role = 'anonymous' | 'resident' | 'moderator' | 'admin';

/** Ids of the demo content the pages are about (from the public and admin API). */
interface DemoIds {
  openConsultation: string;
  consultations: string[];
  event: string;
  survey: string;
}

/** Every page with a form, per role: the paths a person of that role opens first. */
function pagesOf(role: Role, ids: DemoIds): string[] {
  const publicPages = [
    '/',
    '/consultations',
    `/consultations/${ids.openConsultation}`,
    '/events',
    `/events/${ids.event}`,
    '/surveys',
    `/surveys/${ids.survey}`,
  ];
  switch (role) {
    case 'anonymous':
      return [...publicPages, '/login', '/register', '/forgot-password', '/language'];
    case 'resident':
      return [...publicPages, '/account', '/account/data', '/account/sessions'];
    case 'moderator':
      return [`/consultations/${ids.openConsultation}`, '/moderation', '/moderation/audit'];
    case 'admin':
      return [
        ...ids.consultations.map((id) => `/admin/consultations/${id}`),
        '/admin/consultations',
        '/admin/consultations/new',
        `/admin/consultations/${ids.openConsultation}/responses`,
        '/admin/events/new',
        `/admin/events/${ids.event}`,
        '/admin/surveys/new',
        `/admin/surveys/${ids.survey}`,
        '/admin/moderation/settings',
        '/admin/users',
      ];
  }
}

/** Each visible or hidden text control of the page: where it is and what it holds now. */
async function controlValues(page: Page): Promise<{ control: string; value: string }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('input, textarea, select')].flatMap((element) => {
      const control = `${element.tagName.toLowerCase()}#${element.id || '?'}[name=${element.getAttribute('name') ?? '?'}]`;
      if (element instanceof HTMLSelectElement) {
        const option = element.selectedOptions[0];
        return [{ control, value: `${element.value} ${option?.textContent ?? ''}` }];
      }
      if (element instanceof HTMLInputElement && ['checkbox', 'radio'].includes(element.type))
        return [{ control, value: element.value }];
      return [{ control, value: (element as HTMLInputElement | HTMLTextAreaElement).value }];
    }),
  );
}

async function visit(page: Page, path: string, javaScript: boolean): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  if (javaScript) await waitForHydration(page);
}

describe.runIf(browserAvailable())('every form opens with the values a person expects', () => {
  let sabor: Sabor;
  let browser: Browser;
  let ids: DemoIds;
  /** Saved values the edit forms must show, read from the API as each role. */
  let saved: { role: Role; path: string; control: string; value: string }[];

  beforeAll(async () => {
    sabor = sharedSabor();
    browser = await connectBrowser();
    const asAdmin = await apiAs(sabor, demo.admin);
    const asResident = await apiAs(sabor, demo.resident);
    const [consultations, events, surveys, settings, account] = await Promise.all([
      asAdmin<{ items: { id: string; state: string }[] }>('GET', '/api/admin/consultations/'),
      asAdmin<{ items: { id: string; titleBg: string }[] }>('GET', '/api/admin/events/'),
      asAdmin<{ items: { id: string; state: string }[] }>('GET', '/api/admin/surveys/'),
      asAdmin<{ newAccountHours: number }>('GET', '/api/moderation/settings'),
      asResident<{ displayName: string }>('GET', '/api/account'),
    ]);
    const open = consultations.items.find((c) => c.state === 'open')!;
    const event = events.items[0]!;
    ids = {
      openConsultation: open.id,
      consultations: consultations.items.map((c) => c.id),
      event: event.id,
      survey: surveys.items.find((s) => s.state === 'published')!.id,
    };
    const consultation = await asAdmin<{ titleBg: string; summary: string }>(
      'GET',
      `/api/consultations/${open.id}`,
    );
    saved = [
      {
        role: 'resident',
        path: '/account',
        control: '#profile-displayName',
        value: account.displayName,
      },
      {
        role: 'admin',
        path: `/admin/consultations/${open.id}`,
        control: '#consultation-titleBg',
        value: consultation.titleBg,
      },
      {
        role: 'admin',
        path: `/admin/consultations/${open.id}`,
        control: '#consultation-summary',
        value: consultation.summary,
      },
      {
        role: 'admin',
        path: `/admin/events/${event.id}`,
        control: '#event-titleBg',
        value: event.titleBg,
      },
      {
        role: 'admin',
        path: '/admin/moderation/settings',
        control: '#settings-newAccountHours',
        value: String(settings.newAccountHours),
      },
    ];
  });
  afterAll(async () => {
    await browser?.close();
  });

  const roles: Role[] = ['anonymous', 'resident', 'moderator', 'admin'];
  for (const javaScript of [true, false]) {
    for (const role of roles) {
      it(`${role}, ${javaScript ? 'with' : 'without'} JavaScript`, async () => {
        const { context } = await newContext(browser, sabor, { javaScriptEnabled: javaScript });
        const page = await context.newPage();
        if (role !== 'anonymous') await signIn(page, demo[role].email, demo[role].password);
        const leaks: string[] = [];
        let controls = 0;
        for (const path of pagesOf(role, ids)) {
          await visit(page, path, javaScript);
          for (const { control, value } of await controlValues(page)) {
            controls += 1;
            if (leakedValue.test(value)) leaks.push(`${path} ${control}: ${JSON.stringify(value)}`);
          }
        }
        expect(leaks).toEqual([]);
        expect(controls).toBeGreaterThan(0);

        for (const expected of saved.filter((s) => s.role === role)) {
          await visit(page, expected.path, javaScript);
          expect(await page.locator(expected.control).inputValue(), expected.path).toBe(
            expected.value,
          );
        }
        await context.close();
      });
    }
  }
});
