import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  demo,
  connectBrowser,
  newContext,
  seriousAccessibilityViolations,
  signIn,
  startSabor,
  type Sabor,
  waitForHydration,
} from './harness';

const run = browserAvailable();
let sabor: Sabor;
let browser: Browser;

/** The demo seed: a strategy whose report is out, and the open directorate rules with a thread. */
const ids = { published: '', open: '' };

interface ListedConsultation {
  id: string;
  state: string;
  titleEn: string | null;
}
interface ListedProposal {
  id: string;
  body: string;
  response: { decision: string; reason: string | null } | null;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${sabor.origin}${path}`);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

/** The open consultation's proposals, oldest first, as anyone reads them through the API. */
async function openProposals(): Promise<ListedProposal[]> {
  const list = await getJson<{ items: ListedProposal[] }>(
    `/api/consultations/${ids.open}/comments?order=oldest&limit=50`,
  );
  return list.items;
}

beforeAll(async () => {
  if (!run) return;
  sabor = await startSabor();
  browser = await connectBrowser();
  const closed = await getJson<{ items: ListedConsultation[] }>('/api/consultations?state=closed');
  ids.published = closed.items.find((c) => c.state === 'report_published')!.id;
  const open = await getJson<{ items: ListedConsultation[] }>('/api/consultations?state=open');
  ids.open = open.items.find((c) => c.titleEn?.includes('Directorate'))!.id;
});
afterAll(async () => {
  await browser?.close();
  await sabor?.stop();
});

const mainText = (page: Page) => page.locator('main').innerText();

async function signedInAdmin(
  options: { locale: 'bg' | 'en'; javaScriptEnabled?: boolean } = { locale: 'bg' },
): Promise<{ context: BrowserContext; page: Page; cspViolations: string[] }> {
  const { context, cspViolations } = await newContext(browser, sabor, options);
  const page = await context.newPage();
  await signIn(page, demo.admin.email, demo.admin.password);
  return { context, page, cspViolations };
}

async function axeProblems(page: Page, label: string): Promise<string[]> {
  const violations = await seriousAccessibilityViolations(page);
  return violations.map(
    (v) =>
      `${label}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

describe.skipIf(!run)('the published report', () => {
  it('shows every proposal with its author, decision and reasons, and leads to CSV and PDF', async () => {
    const { context, cspViolations } = await newContext(browser, sabor, {
      locale: 'bg',
      javaScriptEnabled: false,
    });
    const page = await context.newPage();

    // The consultation page tells the outcome and leads to the report.
    await page.goto(`/consultations/${ids.published}`);
    const outcome = await page.locator('main section[aria-labelledby=outcome-heading]').innerText();
    expect(outcome).toContain('Вие предложихте, ние решихме');
    expect(outcome).toContain('Постъпили предложения: 3');
    expect(outcome).toContain('Приема се: 1');
    expect(outcome).toContain('Приема се частично: 1');
    expect(outcome).toContain('Не се приема: 1');
    await page.locator(`main a[href$="/consultations/${ids.published}/report"]`).click();
    await page.waitForURL(`**/consultations/${ids.published}/report`);

    expect(await page.locator('h1').innerText()).toContain(
      'Стратегия за международно сътрудничество',
    );
    expect(await page.locator('main .report-summary').innerText()).toContain(
      'Постъпиха 3 предложения',
    );
    const proposals = page.locator('main .report-proposal');
    expect(await proposals.count()).toBe(3);
    const [first, second, third] = await proposals.allInnerTexts();
    expect(first).toContain('Предложение № 1');
    expect(first).toContain('Форумът на градовете-партньори да бъде отворен за граждани');
    expect(first).toContain('Приема се');
    expect(first).toContain('Форумът ще има отворена част за граждани');
    expect(second).toContain('Иван Стоянов');
    expect(second).toContain('велосипедна инфраструктура');
    expect(second).toContain('Приема се частично');
    expect(third).toContain('Стратегията няма бюджет');
    expect(third).toContain('Не се приема');
    expect(third).toContain('Бюджетът на мерките се определя ежегодно');
    // Dates are Sofia's, in words.
    expect(first).toContain('Постъпило на');
    expect(first).toMatch(/\d{1,2} [а-я]+ 20\d\d г\./);
    // The totals as a table.
    const totals = await page
      .locator('main table.report-totals tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.children].map((cell) => cell.textContent?.trim())),
      );
    expect(totals).toContainEqual(['Предложения в справката', '3']);
    expect(totals).toContainEqual(['Приема се', '1']);
    expect(totals).toContainEqual(['Против', '1']);
    expect(totals).toContainEqual(['Оттеглени от авторите си', '0']);

    // The downloads answer with the right kinds of file, in the reader's language.
    const csvHref = await page.locator('main a[href$="/report.csv"]').getAttribute('href');
    const pdfHref = await page.locator('main a[href$="/report.pdf"]').getAttribute('href');
    const csv = await context.request.get(new URL(csvHref!, sabor.origin).href);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers()['content-disposition']).toMatch(/^attachment/);
    const csvText = (await csv.body()).toString('utf8');
    expect(csvText).toContain('Форумът на градовете-партньори');
    const pdf = await context.request.get(new URL(pdfHref!, sabor.origin).href);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // Printed: the report without navigation or download links.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-nav').isVisible()).toBe(false);
    expect(await page.locator('main .report-downloads').isVisible()).toBe(false);
    expect(await page.locator('main .report-proposal').first().isVisible()).toBe(true);

    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('is not found until the report is published, and for addresses that are no consultation', async () => {
    const { context } = await newContext(browser, sabor, { locale: 'en' });
    const page = await context.newPage();
    for (const path of [
      `/consultations/${ids.open}/report`,
      '/consultations/00000000-0000-4000-8000-000000000000/report',
      '/consultations/not-an-id/report',
    ]) {
      expect((await page.goto(path))?.status(), path).toBe(404);
      expect(await page.locator('h1').innerText()).toBe('Page not found');
    }
    // Only published consultations tell an outcome.
    await page.goto(`/consultations/${ids.open}`);
    expect(await page.locator('#outcome-heading').count()).toBe(0);
    await context.close();
  });
});

describe.skipIf(!run).each(['bg', 'en'] as const)('report pages in %s', (locale) => {
  it('have no serious or critical axe violations', async () => {
    const { context, page, cspViolations } = await signedInAdmin({ locale });
    const problems: string[] = [];
    for (const path of [
      `/consultations/${ids.published}/report`,
      `/consultations/${ids.published}`,
      `/admin/consultations/${ids.open}/responses`,
      `/admin/consultations/${ids.open}/responses?filter=pending`,
      `/admin/consultations/${ids.open}/report`,
      `/admin/consultations/${ids.published}/report`,
    ]) {
      await page.goto(path);
      problems.push(...(await axeProblems(page, path)));
    }
    // A response refused in place: a final decision without reasons.
    await page.goto(`/admin/consultations/${ids.open}/responses`);
    const first = page.locator('main .response-list > li').first();
    await first.locator('select[name=decision]').selectOption('not_accepted');
    await first.locator('button[type=submit]').click();
    await first.locator('.error-summary').waitFor();
    problems.push(...(await axeProblems(page, 'a response with an error')));
    expect(problems).toEqual([]);
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('fit a 360 px screen without sideways scrolling', async () => {
    const { context, page } = await signedInAdmin({ locale });
    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of [
      `/consultations/${ids.published}/report`,
      `/admin/consultations/${ids.open}/responses`,
      `/admin/consultations/${ids.open}/report`,
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

describe.skipIf(!run)('staff responses and publication', () => {
  it('a response is written with the keyboard alone', async () => {
    const { context, page } = await signedInAdmin({ locale: 'en' });
    // The first proposal is already under review: saying so again changes no count.
    const register = (await openProposals()).find((p) => p.body.includes('отворени данни'))!;
    expect(register.response?.decision).toBe('under_review');
    await page.goto(`/admin/consultations/${ids.open}/responses`);
    // Keys typed before the page's script took over may be lost when it hydrates the form.
    await waitForHydration(page);
    await page.locator(`#response-${register.id}-decision`).focus();
    await page.keyboard.type('Under');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(
      `response-${register.id}-reason`,
    );
    await page.keyboard.type('We are checking the data formats.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => mainText(page)).toContain('The response has been saved and published.');
    const updated = (await openProposals()).find((p) => p.id === register.id)!;
    expect(updated.response).toMatchObject({
      decision: 'under_review',
      reason: 'We are checking the data formats.',
    });
    await context.close();
  });

  it('an admin responds to a proposal without JavaScript; the decision appears under it publicly', async () => {
    const { context, page, cspViolations } = await signedInAdmin({
      locale: 'bg',
      javaScriptEnabled: false,
    });
    const climate = (await openProposals()).find((p) => p.body.includes('климатичните'))!;
    expect(climate.response).toBeNull();

    await page.goto(`/admin/consultations/${ids.open}`);
    await page.locator(`main a[href$="/admin/consultations/${ids.open}/responses"]`).click();
    await page.waitForURL(`**/admin/consultations/${ids.open}/responses`);
    const item = page.locator(`#proposal-${climate.id}`);
    expect(await item.innerText()).toContain('Все още няма отговор.');

    // A final decision needs public reasons: refused, with the reason next to its field.
    await item.locator('select[name=decision]').selectOption('accepted');
    await item.locator('button[type=submit]').click();
    await expect.poll(() => page.locator(`#response-${climate.id}-reason-error`).count()).toBe(1);
    expect(await page.locator(`#proposal-${climate.id} select[name=decision]`).inputValue()).toBe(
      'accepted',
    );

    const reason = 'Чл. 2 ще назовава изрично и адаптацията към климатичните промени.';
    await item.locator('textarea[name=reason]').fill(reason);
    await item.locator('button[type=submit]').click();
    await expect.poll(() => mainText(page)).toContain('Отговорът е запазен и публикуван.');
    expect(new URL(page.url()).hash).toBe(`#proposal-${climate.id}`);
    expect(await item.locator('.report-decision').innerText()).toContain('Приема се');
    expect(await item.locator('.report-decision').innerText()).toContain(reason);

    // Everyone sees it under the proposal: on the page and through the API.
    const { context: visitorContext } = await newContext(browser, sabor, {
      locale: 'bg',
      javaScriptEnabled: false,
    });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`/consultations/${ids.open}`);
    const comment = await visitor.locator(`#comment-${climate.id}`).innerText();
    expect(comment).toContain('Приема се');
    expect(comment).toContain(reason);
    const updated = (await openProposals()).find((p) => p.id === climate.id)!;
    expect(updated.response).toMatchObject({ decision: 'accepted', reason });

    expect(cspViolations).toEqual([]);
    await visitorContext.close();
    await context.close();
  });

  it('an admin finds the proposals still pending, closes the consultation and publishes its report after confirming', async () => {
    const { context, page, cspViolations } = await signedInAdmin({ locale: 'en' });

    // The demo thread as it stands: one proposal accepted by now, the rest still pending.
    const proposals = (await openProposals()).filter((p) => p.body !== '');
    const total = proposals.length;
    const pending = proposals.filter(
      (p) => !['accepted', 'partly_accepted', 'not_accepted'].includes(p.response?.decision ?? ''),
    ).length;
    expect(pending).toBe(total - 1);

    // While open: the preview and what is missing, but no publishing.
    await page.goto(`/admin/consultations/${ids.open}/report`);
    expect(await mainText(page)).toContain('can be published after the consultation closes');
    expect(await page.locator('main form[action="?/publish"]').count()).toBe(0);
    const missingLinks = page.locator(
      'main a[href*="responses?filter=pending"][href*="#proposal-"]',
    );
    expect(await missingLinks.count()).toBe(pending);
    expect(await page.locator('main .report-proposal').count()).toBe(total);

    // The first missing one, answered from the pending list (with JavaScript this time).
    const href = (await missingLinks.first().getAttribute('href'))!;
    const firstMissing = href.split('#proposal-')[1]!;
    await missingLinks.first().click();
    await page.waitForURL(/filter=pending/);
    expect(await mainText(page)).toContain(`Without a final decision: ${pending}`);
    const item = page.locator(`#proposal-${firstMissing}`);
    await item.locator('select[name=decision]').selectOption('not_accepted');
    await item
      .locator('textarea[name=reason]')
      .fill('The register is already published\nas open data.');
    await item.locator('button[type=submit]').click();
    await expect.poll(() => mainText(page)).toContain(`Without a final decision: ${pending - 1}`);
    expect(await page.locator(`#proposal-${firstMissing}`).count()).toBe(0);

    // The rest through the API, as another member of staff might at the same time.
    const preview = await context.request.get(
      `${sabor.origin}/api/admin/consultations/${ids.open}/report/preview`,
    );
    const { missingDecisions } = (await preview.json()) as { missingDecisions: string[] };
    expect(missingDecisions).toHaveLength(pending - 1);
    for (const id of missingDecisions) {
      const response = await context.request.put(
        `${sabor.origin}/api/admin/comments/${id}/response`,
        {
          headers: { origin: sabor.origin },
          data: { decision: 'partly_accepted', reason: 'Taken into account in art. 4.' },
        },
      );
      expect(response.status()).toBe(200);
    }
    await page.goto(`/admin/consultations/${ids.open}/responses?filter=pending`);
    expect(await mainText(page)).toContain('Every proposal has a final decision.');

    // Close it early, then publish without JavaScript, as the confirmation step asks.
    await page.goto(`/admin/consultations/${ids.open}?step=close`);
    await page.locator('textarea[name=reason]').fill('All proposals have been considered.');
    await page.locator('main form[action="?/close"] button[type=submit]').click();
    await expect.poll(() => mainText(page)).toContain('The consultation has been closed early.');

    // With JavaScript the form answers in place; its errors are audited there (axe needs scripts).
    await page.goto(`/admin/consultations/${ids.open}/report`);
    await waitForHydration(page);
    await page.locator('main form[action="?/publish"] button[type=submit]').click();
    await page.locator('.error-summary').waitFor();
    const problems = await axeProblems(page, 'publish with errors');

    const { context: plainContext, page: plain } = await signedInAdmin({
      locale: 'en',
      javaScriptEnabled: false,
    });
    await plain.goto(`/admin/consultations/${ids.open}/report`);
    const publish = plain.locator('main form[action="?/publish"]');
    await publish.locator('button[type=submit]').click();
    await expect.poll(() => plain.locator('#report-confirm-error').count()).toBe(1);
    expect(await plain.locator('#report-summary-error').count()).toBe(1);

    const summary = '## Outcome\n\nEvery proposal received was **considered**.';
    await plain.locator('textarea[name=summary]').fill(summary);
    await publish.locator('button[type=submit]').click();
    // The summary is kept; the box must still be ticked.
    await expect.poll(() => plain.locator('#report-confirm-error').count()).toBe(1);
    expect(await plain.locator('textarea[name=summary]').inputValue()).toBe(summary);
    await plain.locator('input[name=confirm]').check();
    await plain.locator('main form[action="?/publish"] button[type=submit]').click();
    await plain.waitForURL(`**/consultations/${ids.open}/report`);
    expect(await mainText(plain)).toContain('The report has been published.');
    expect(await plain.locator('main .report-summary h3').innerText()).toBe('Outcome');
    expect(await plain.locator('main .report-proposal').count()).toBe(total);
    await page.goto(`/consultations/${ids.open}/report`);
    problems.push(...(await axeProblems(page, 'the new report')));

    // "You said, we did" on the consultation page; the responses are final now.
    await plain.goto(`/consultations/${ids.open}`);
    const outcome = await plain
      .locator('main section[aria-labelledby=outcome-heading]')
      .innerText();
    expect(outcome).toContain(`Proposals received: ${total}`);
    expect(outcome).toContain('Accepted: 1');
    expect(outcome).toContain(`Partly accepted: ${total - 2}`);
    expect(outcome).toContain('Not accepted: 1');
    await plain.goto(`/admin/consultations/${ids.open}/responses`);
    expect(await mainText(plain)).toContain('responses can no longer change');
    expect(await plain.locator('main .response-list form').count()).toBe(0);
    await plain.goto(`/admin/consultations/${ids.open}/report`);
    expect(await plain.locator('main form[action="?/publish"]').count()).toBe(0);
    expect(await plain.locator(`main a[href$="/consultations/${ids.open}/report"]`).count()).toBe(
      1,
    );

    expect(problems).toEqual([]);
    expect(cspViolations).toEqual([]);
    await plainContext.close();
    await context.close();
  });

  it('residents and visitors cannot reach the staff pages', async () => {
    const { context: residentContext } = await newContext(browser, sabor, { locale: 'en' });
    const resident = await residentContext.newPage();
    await signIn(resident, demo.resident.email, demo.resident.password);
    for (const path of [
      `/admin/consultations/${ids.published}/responses`,
      `/admin/consultations/${ids.published}/report`,
    ]) {
      expect((await resident.goto(path))?.status(), path).toBe(403);
    }
    const { context: visitorContext } = await newContext(browser, sabor, { locale: 'en' });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`/admin/consultations/${ids.published}/responses`);
    expect(new URL(visitor.url()).pathname).toBe('/login');
    await residentContext.close();
    await visitorContext.close();
  });
});
