import { locales } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import { renderMail, type MailTemplate } from './templates';

const url = 'https://sabor.example/link?token=abc';
const templates: MailTemplate[] = [
  { kind: 'verify_email', displayName: 'Мария', url },
  { kind: 'reset_password', displayName: 'Мария', url },
  { kind: 'password_changed', displayName: 'Мария' },
  { kind: 'account_deleted', displayName: 'Мария' },
  { kind: 'account_suspended', displayName: 'Мария', reason: 'Spam' },
  { kind: 'admin_setup', url },
];
const sites = { bg: 'Община Стара Загора', en: 'Stara Zagora Municipality' };

describe('renderMail', () => {
  it.each(
    locales.flatMap((locale) =>
      templates.map((template) => [locale, template.kind, template] as const),
    ),
  )(
    '%s %s: subject names the municipality, text and html carry the same content',
    (locale, _kind, template) => {
      const mail = renderMail(template, locale, { name: sites[locale] });
      expect(mail.subject.endsWith(` – ${sites[locale]}`)).toBe(true);
      expect(mail.html).toContain(`<html lang="${locale}"`);
      expect(mail.html).toContain(`<title>${mail.subject}</title>`);
      expect(mail.text).toContain(sites[locale]);
      if ('url' in template) {
        expect(mail.text).toContain(url);
        expect(mail.html).toContain(`href="${url}"`);
      }
      if ('displayName' in template) expect(mail.text).toContain('Мария');
    },
  );

  it('writes each language in its own words and states how long links are valid', () => {
    const verifyBg = renderMail(templates[0]!, 'bg', { name: sites.bg });
    const verifyEn = renderMail(templates[0]!, 'en', { name: sites.en });
    expect(verifyBg.subject).toBe('Потвърдете имейл адреса си – Община Стара Загора');
    expect(verifyBg.text).toContain('48 часа');
    expect(verifyEn.subject).toBe('Confirm your email address – Stara Zagora Municipality');
    expect(verifyEn.text).toContain('48 hours');
    expect(renderMail(templates[1]!, 'bg', { name: sites.bg }).text).toContain('1 час');
    expect(renderMail(templates[1]!, 'en', { name: sites.en }).text).toContain('1 hour');
  });

  it('escapes user-controlled values in HTML and keeps them as written in text', () => {
    const mail = renderMail(
      {
        kind: 'account_suspended',
        displayName: '<script>alert(1)</script>',
        reason: '"><img src=x onerror=alert(1)> & more',
      },
      'en',
      { name: 'Town & <Co>' },
    );
    expect(mail.html).not.toMatch(/<script|<img/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; more');
    expect(mail.html).toContain('Town &amp; &lt;Co&gt;');
    expect(mail.text).toContain('Hello <script>alert(1)</script>,');
  });

  it('refuses links that are not http(s)', () => {
    expect(() =>
      renderMail({ kind: 'admin_setup', url: 'javascript:alert(1)' }, 'bg', { name: sites.bg }),
    ).toThrow();
  });
});
