import { locales, type Locale } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import { renderMail } from '../mail/render';
import { accountMail, type AccountMail } from './mails';

const url = 'https://sabor.example/link?token=abc';
const templates: AccountMail[] = [
  { kind: 'verify_email', displayName: 'Мария', url },
  { kind: 'reset_password', displayName: 'Мария', url },
  { kind: 'password_changed', displayName: 'Мария' },
];
const sites = { bg: 'Община Стара Загора', en: 'Stara Zagora Municipality' };

const render = (template: AccountMail, locale: Locale, site = sites[locale]) =>
  renderMail(accountMail(template, locale, site), locale, { name: site });

describe('account mails', () => {
  it.each(
    locales.flatMap((locale) =>
      templates.map((template) => [locale, template.kind, template] as const),
    ),
  )(
    '%s %s: subject names the municipality, text and html carry the same content',
    (locale, _kind, template) => {
      const mail = render(template, locale);
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
    const verifyBg = render(templates[0]!, 'bg');
    const verifyEn = render(templates[0]!, 'en');
    expect(verifyBg.subject).toBe('Потвърдете имейл адреса си – Община Стара Загора');
    expect(verifyBg.text).toContain('48 часа');
    expect(verifyEn.subject).toBe('Confirm your email address – Stara Zagora Municipality');
    expect(verifyEn.text).toContain('48 hours');
    expect(render(templates[1]!, 'bg').text).toContain('1 час');
    expect(render(templates[1]!, 'en').text).toContain('1 hour');
    expect(render({ kind: 'password_changed', displayName: 'Ana' }, 'en').subject).toBe(
      'Your password was changed – Stara Zagora Municipality',
    );
  });

  it('refuses links that are not http(s)', () => {
    expect(() => render({ kind: 'verify_email', displayName: 'Мария', url: 'javascript:alert(1)' }, 'bg')).toThrow();
  });
});
