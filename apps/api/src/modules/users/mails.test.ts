import { locales, type Locale } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import { renderMail } from '../mail/render';
import { suspensionMail, type SuspensionMail } from './mails';

const sites = { bg: 'Община Стара Загора', en: 'Stara Zagora Municipality' };

const render = (template: SuspensionMail, locale: Locale, site = sites[locale]) =>
  renderMail(suspensionMail(template, locale, site), locale, { name: site });

describe('the suspension mail', () => {
  const template: SuspensionMail = {
    kind: 'account_suspended',
    displayName: 'Мария',
    reason: 'Spam',
  };

  it.each(locales)(
    '%s: subject names the municipality, text and html carry the same content',
    (locale) => {
      const mail = render(template, locale);
      expect(mail.subject.endsWith(` – ${sites[locale]}`)).toBe(true);
      expect(mail.html).toContain(`<html lang="${locale}"`);
      expect(mail.html).toContain(`<title>${mail.subject}</title>`);
      expect(mail.text).toContain(sites[locale]);
      expect(mail.text).toContain('Мария');
    },
  );

  it.each(locales)('%s: greets, and quotes the reason', (locale) => {
    const mail = render(
      { kind: 'account_suspended', displayName: 'Мария', reason: 'Спам', until: null },
      locale,
    );
    expect(mail.subject.endsWith(` – ${sites[locale]}`)).toBe(true);
    expect(mail.text).toContain('Мария');
    expect(mail.text).toContain('Спам');
  });

  it('writes the end of a suspension in Sofia time, or that it is permanent', () => {
    // 21:30 UTC on 31 March is already 1 April in Sofia (summer time, UTC+3).
    const until = '2026-03-31T21:30:00.000Z';
    const suspended = (locale: 'bg' | 'en', end: string | null) =>
      render(
        { kind: 'account_suspended', displayName: 'Мария', reason: 'Спам', until: end },
        locale,
      ).text;
    expect(suspended('bg', until)).toContain('спрян до 1 април 2026 г.');
    expect(suspended('bg', until)).toContain('0:30 ч.');
    expect(suspended('en', until)).toContain('suspended until 1 April 2026');
    expect(suspended('en', until)).toContain('00:30');
    expect(suspended('bg', null)).toContain('за постоянно');
    expect(suspended('en', null)).toContain('permanently');
  });

  it('escapes user-controlled values in HTML and keeps them as written in text', () => {
    const mail = render(
      {
        kind: 'account_suspended',
        displayName: '<script>alert(1)</script>',
        reason: '"><img src=x onerror=alert(1)> & more',
      },
      'en',
      'Town & <Co>',
    );
    expect(mail.html).not.toMatch(/<script|<img/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; more');
    expect(mail.html).toContain('Town &amp; &lt;Co&gt;');
    expect(mail.text).toContain('Hello <script>alert(1)</script>,');
  });
});
