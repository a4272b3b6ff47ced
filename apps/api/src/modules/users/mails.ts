import { timeZone, type Locale } from '@sabor/contracts';
import { composeMail, p, type ComposedMail, type MailCopy } from '../mail/render';

/** `until`: when the suspension ends (ISO); absent or null: permanently. */
export interface SuspensionMail {
  kind: 'account_suspended';
  displayName: string;
  reason: string;
  until?: string | null;
}

const dateTimeLocales: Record<Locale, string> = { bg: 'bg-BG', en: 'en-GB' };

/** A moment as the recipient reads it, in the municipality's time zone (Europe/Sofia). */
function sofiaDateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(dateTimeLocales[locale], {
    timeZone,
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(new Date(iso));
}

const bg: MailCopy<SuspensionMail> = {
  account_suspended: ({ reason, until }, site) => ({
    title: 'Профилът ви е спрян',
    blocks: [
      p(
        until
          ? `Профилът ви беше спрян до ${sofiaDateTime(until, 'bg')} ч. (българско време). Дотогава не можете да влизате в него.`
          : 'Профилът ви беше спрян за постоянно. Не можете да влизате в него.',
      ),
      p('Причина:'),
      { kind: 'quote', text: reason },
      p(`Ако смятате, че това е грешка, свържете се с ${site}.`),
    ],
  }),
};

const en: MailCopy<SuspensionMail> = {
  account_suspended: ({ reason, until }, site) => ({
    title: 'Your account has been suspended',
    blocks: [
      p(
        until
          ? `Your account has been suspended until ${sofiaDateTime(until, 'en')} (Bulgarian time). Until then, you cannot sign in.`
          : 'Your account has been suspended permanently. You cannot sign in.',
      ),
      p('Reason:'),
      { kind: 'quote', text: reason },
      p(`If you think this is a mistake, please contact ${site}.`),
    ],
  }),
};

/** The suspension mail in the recipient's language; `site` is the municipality's name in it. */
export function suspensionMail(mail: SuspensionMail, locale: Locale, site: string): ComposedMail {
  return composeMail({ bg, en }, mail, locale, site);
}
