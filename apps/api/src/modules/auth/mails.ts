import type { Locale } from '@sabor/contracts';
import { action, composeMail, p, type ComposedMail, type MailCopy } from '../mail/render';

/** The mails about a person's account: signing up and passwords. */
export type AccountMail =
  | { kind: 'verify_email'; displayName: string; url: string }
  | { kind: 'reset_password'; displayName: string; url: string }
  | { kind: 'password_changed'; displayName: string };

const bg: MailCopy<AccountMail> = {
  verify_email: ({ url }, site) => ({
    title: 'Потвърдете имейл адреса си',
    blocks: [
      p(`Благодарим ви, че се регистрирахте в платформата за обществени консултации на ${site}.`),
      p('За да потвърдите имейл адреса си, отворете тази връзка:'),
      action('Потвърждаване на имейла', url),
      p(
        'Връзката е валидна 48 часа. Ако не сте се регистрирали вие, можете спокойно да пренебрегнете това писмо.',
      ),
    ],
  }),
  reset_password: ({ url }) => ({
    title: 'Смяна на паролата',
    blocks: [
      p(
        'Получихме заявка за нова парола за вашия профил. За да изберете нова парола, отворете тази връзка:',
      ),
      action('Избор на нова парола', url),
      p(
        'Връзката е валидна 1 час и може да се използва само веднъж. Ако не сте поискали нова парола, пренебрегнете това писмо – паролата ви остава същата.',
      ),
    ],
  }),
  password_changed: (_template, site) => ({
    title: 'Паролата ви беше сменена',
    blocks: [
      p(
        'Паролата за вашия профил беше сменена. Ако сте го направили вие, не е нужно да предприемате нищо.',
      ),
      p(
        `Ако не сте сменяли паролата си, веднага поискайте нова чрез „Забравена парола“ и уведомете ${site}.`,
      ),
    ],
  }),
};

const en: MailCopy<AccountMail> = {
  verify_email: ({ url }, site) => ({
    title: 'Confirm your email address',
    blocks: [
      p(`Thank you for registering on the public consultation platform of ${site}.`),
      p('To confirm your email address, open this link:'),
      action('Confirm my email', url),
      p(
        'The link is valid for 48 hours. If you did not register, you can safely ignore this email.',
      ),
    ],
  }),
  reset_password: ({ url }) => ({
    title: 'Reset your password',
    blocks: [
      p(
        'We received a request for a new password for your account. To choose a new password, open this link:',
      ),
      action('Choose a new password', url),
      p(
        'The link is valid for 1 hour and can be used only once. If you did not ask for a new password, ignore this email; your password stays the same.',
      ),
    ],
  }),
  password_changed: (_template, site) => ({
    title: 'Your password was changed',
    blocks: [
      p('The password for your account was changed. If this was you, there is nothing else to do.'),
      p(
        `If you did not change your password, request a new one right away with “Forgot password” and let ${site} know.`,
      ),
    ],
  }),
};

/** An account mail in the recipient's language; `site` is the municipality's name in it. */
export function accountMail(mail: AccountMail, locale: Locale, site: string): ComposedMail {
  return composeMail({ bg, en }, mail, locale, site);
}
