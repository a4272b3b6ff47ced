import type { Locale } from '@sabor/contracts';
import {
  action,
  composeMail,
  note,
  p,
  type ComposedMail,
  type MailBlock,
  type MailCopy,
} from '../mail/render';

/** The mails to a consultation's followers (see notify.ts). */
export type FollowerMail =
  | ({ kind: 'consultation_closed'; reason: string | null } & FollowerMailBase)
  | ({ kind: 'report_published' } & FollowerMailBase)
  | ({ kind: 'response_published' } & FollowerMailBase);

/** What every mail to a consultation's followers carries. */
interface FollowerMailBase {
  displayName: string;
  /** The consultation's title in the recipient's language. */
  title: string;
  url: string;
  unsubscribeUrl: string;
}

/** The unsubscribe line of every mail to a consultation's followers. */
const followerNote: Record<Locale, (url: string) => MailBlock> = {
  bg: (url) =>
    note(
      'Получавате това писмо, защото следите тази консултация. За да спрете писмата за нея, отворете:',
      url,
    ),
  en: (url) =>
    note(
      'You get this email because you follow this consultation. To stop emails about it, open:',
      url,
    ),
};

const bg: MailCopy<FollowerMail> = {
  consultation_closed: ({ title, url, unsubscribeUrl, reason }, site) => ({
    title: `Консултацията „${title}“ приключи`,
    blocks: [
      p(`Обществената консултация „${title}“, която следите, приключи и вече не приема коментари.`),
      ...(reason
        ? [
            p('Консултацията беше закрита предсрочно. Причина:'),
            { kind: 'quote' as const, text: reason },
          ]
        : []),
      p(
        `${site} ще разгледа всички предложения и ще публикува справка с отговор на всяко от тях. Ще ви уведомим, когато справката бъде публикувана.`,
      ),
      action('Към консултацията', url),
      followerNote.bg(unsubscribeUrl),
    ],
  }),
  report_published: ({ title, url, unsubscribeUrl }, site) => ({
    title: `Публикувана е справката по консултацията „${title}“`,
    blocks: [
      p(
        `Справката по обществената консултация „${title}“ е публикувана. В нея ${site} отговаря на всяко постъпило предложение и посочва дали е прието.`,
      ),
      action('Към справката', url),
      followerNote.bg(unsubscribeUrl),
    ],
  }),
  response_published: ({ title, url, unsubscribeUrl }, site) => ({
    title: 'Отговор на вашето предложение',
    blocks: [
      p(`${site} публикува официален отговор на вашето предложение по консултацията „${title}“.`),
      action('Към отговора', url),
      followerNote.bg(unsubscribeUrl),
    ],
  }),
};

const en: MailCopy<FollowerMail> = {
  consultation_closed: ({ title, url, unsubscribeUrl, reason }, site) => ({
    title: `The consultation “${title}” has closed`,
    blocks: [
      p(
        `The public consultation “${title}”, which you follow, has closed and no longer takes comments.`,
      ),
      ...(reason
        ? [p('It was closed early. Reason:'), { kind: 'quote' as const, text: reason }]
        : []),
      p(
        `${site} will consider every proposal and publish a report answering each of them. We will let you know when the report is published.`,
      ),
      action('Go to the consultation', url),
      followerNote.en(unsubscribeUrl),
    ],
  }),
  report_published: ({ title, url, unsubscribeUrl }, site) => ({
    title: `The report on the consultation “${title}” is published`,
    blocks: [
      p(
        `The report on the public consultation “${title}” is published. In it, ${site} answers every proposal received and says whether it was accepted.`,
      ),
      action('Read the report', url),
      followerNote.en(unsubscribeUrl),
    ],
  }),
  response_published: ({ title, url, unsubscribeUrl }, site) => ({
    title: 'A response to your proposal',
    blocks: [
      p(
        `${site} has published an official response to your proposal in the consultation “${title}”.`,
      ),
      action('Read the response', url),
      followerNote.en(unsubscribeUrl),
    ],
  }),
};

/** A follower mail in the recipient's language; `site` is the municipality's name in it. */
export function followerMail(mail: FollowerMail, locale: Locale, site: string): ComposedMail {
  return composeMail({ bg, en }, mail, locale, site);
}
