import {
  hideReasonLabel,
  type HideReasonCode,
  type HoldReason,
  type Locale,
} from '@sabor/contracts';
import {
  action,
  composeMail,
  p,
  type ComposedMail,
  type MailBlock,
  type MailCopy,
} from '../mail/render';

/** The mails of moderation notices (see notices.ts). */
export type ModerationMail =
  | { kind: 'account_warning'; displayName: string; reason: string }
  | ({ kind: 'comment_held'; holdReason: HoldReason | null } & CommentMail)
  | ({
      kind: 'comment_hidden';
      reasonCode: HideReasonCode | null;
      reasonText: string | null;
    } & CommentMail)
  | ({ kind: 'comment_restored' } & CommentMail)
  | ({ kind: 'comment_approved' } & CommentMail);

/** What every mail about the moderation of a person's comment carries. */
interface CommentMail {
  displayName: string;
  /** The consultation's title in the recipient's language. */
  title: string;
  /** The comment on the consultation page. */
  url: string;
}

/** Why a comment waits for a moderator, in words its author understands. */
const holdExplanations: Record<Locale, Record<HoldReason, string>> = {
  bg: {
    premoderation:
      'В тази консултация всеки коментар се преглежда от модератор, преди да бъде публикуван.',
    new_account:
      'Първите коментари от нови профили се преглеждат от модератор, преди да бъдат публикувани.',
    word_list:
      'Коментарът съдържа думи, които правилата на платформата изпращат за преглед от модератор.',
    link_from_new_account:
      'Коментарът съдържа връзка, а връзките от профили, създадени преди по-малко от ден, се преглеждат от модератор.',
  },
  en: {
    premoderation: 'In this consultation a moderator reviews every comment before it is published.',
    new_account:
      'A moderator reviews the first comments of new accounts before they are published.',
    word_list:
      'The comment contains words that the platform’s rules send to a moderator for review.',
    link_from_new_account:
      'The comment contains a link, and a moderator reviews links from accounts less than a day old.',
  },
};

/** "Reason:" and the reason quoted, or nothing when there is no reason to give. */
const reasonBlocks = (label: string, reason: string): MailBlock[] =>
  reason ? [p(label), { kind: 'quote', text: reason }] : [];

const bg: MailCopy<ModerationMail> = {
  account_warning: ({ reason }, site) => ({
    title: 'Предупреждение от модератор',
    blocks: [
      p(
        'Модератор ви изпраща предупреждение във връзка с участието ви в обществените консултации. Профилът ви остава активен.',
      ),
      p('Причина:'),
      { kind: 'quote', text: reason },
      p(
        `Моля, спазвайте правилата за участие. При повторно нарушение профилът ви може да бъде спрян. Ако смятате, че това е грешка, свържете се с ${site}.`,
      ),
    ],
  }),
  comment_held: ({ title, url, holdReason }) => ({
    title: 'Коментарът ви очаква преглед',
    blocks: [
      p(
        `Коментарът ви по консултацията „${title}“ е получен и ще бъде публикуван, след като модератор го прегледа. Дотогава го виждате само вие, отбелязан като „очаква модериране“.`,
      ),
      ...(holdReason ? [p(holdExplanations.bg[holdReason])] : []),
      action('Към коментара', url),
    ],
  }),
  comment_hidden: ({ title, url, reasonCode, reasonText }, site) => ({
    title: 'Коментарът ви беше скрит',
    blocks: [
      p(
        `Модератор скри коментара ви по консултацията „${title}“. Останалите виждат на негово място „скрит от модератор“ с причината; вие и модераторите продължавате да виждате текста му.`,
      ),
      ...reasonBlocks('Причина:', hideReasonLabel({ reasonCode, reasonText }, 'bg')),
      action('Към коментара', url),
      p(`Ако смятате, че това е грешка, свържете се с ${site}.`),
    ],
  }),
  comment_restored: ({ title, url }) => ({
    title: 'Коментарът ви е видим отново',
    blocks: [
      p(
        `Модератор възстанови коментара ви по консултацията „${title}“. Той отново е видим за всички.`,
      ),
      action('Към коментара', url),
    ],
  }),
  comment_approved: ({ title, url }) => ({
    title: 'Коментарът ви е публикуван',
    blocks: [
      p(`Модератор одобри коментара ви по консултацията „${title}“. Той вече е видим за всички.`),
      action('Към коментара', url),
    ],
  }),
};

const en: MailCopy<ModerationMail> = {
  account_warning: ({ reason }, site) => ({
    title: 'A warning from a moderator',
    blocks: [
      p(
        'A moderator has sent you a warning about your participation in the public consultations. Your account stays active.',
      ),
      p('Reason:'),
      { kind: 'quote', text: reason },
      p(
        `Please follow the participation rules. If it happens again, your account may be suspended. If you think this is a mistake, please contact ${site}.`,
      ),
    ],
  }),
  comment_held: ({ title, url, holdReason }) => ({
    title: 'Your comment is awaiting review',
    blocks: [
      p(
        `Your comment on the consultation “${title}” has been received and will be published once a moderator has reviewed it. Until then only you see it, marked “awaiting moderation”.`,
      ),
      ...(holdReason ? [p(holdExplanations.en[holdReason])] : []),
      action('Go to the comment', url),
    ],
  }),
  comment_hidden: ({ title, url, reasonCode, reasonText }, site) => ({
    title: 'Your comment has been hidden',
    blocks: [
      p(
        `A moderator has hidden your comment on the consultation “${title}”. Others see “hidden by moderator” with the reason in its place; you and the moderators still see its text.`,
      ),
      ...reasonBlocks('Reason:', hideReasonLabel({ reasonCode, reasonText }, 'en')),
      action('Go to the comment', url),
      p(`If you think this is a mistake, please contact ${site}.`),
    ],
  }),
  comment_restored: ({ title, url }) => ({
    title: 'Your comment is visible again',
    blocks: [
      p(
        `A moderator has restored your comment on the consultation “${title}”. Everyone can see it again.`,
      ),
      action('Go to the comment', url),
    ],
  }),
  comment_approved: ({ title, url }) => ({
    title: 'Your comment is published',
    blocks: [
      p(
        `A moderator has approved your comment on the consultation “${title}”. Everyone can see it now.`,
      ),
      action('Go to the comment', url),
    ],
  }),
};

/** A moderation mail in the recipient's language; `site` is the municipality's name in it. */
export function moderationMail(mail: ModerationMail, locale: Locale, site: string): ComposedMail {
  return composeMail({ bg, en }, mail, locale, site);
}
