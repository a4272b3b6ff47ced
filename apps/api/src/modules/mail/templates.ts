import {
  hideReasonLabel,
  type HideReasonCode,
  type HoldReason,
  timeZone,
  type Locale,
} from '@sabor/contracts';

export type MailTemplate =
  | { kind: 'verify_email'; displayName: string; url: string }
  | { kind: 'reset_password'; displayName: string; url: string }
  | { kind: 'password_changed'; displayName: string }
  | { kind: 'account_deleted'; displayName: string }
  /** `until`: when the suspension ends (ISO); absent or null: permanently. */
  | { kind: 'account_suspended'; displayName: string; reason: string; until?: string | null }
  | { kind: 'account_warning'; displayName: string; reason: string }
  | ({ kind: 'comment_held'; holdReason: HoldReason | null } & CommentMail)
  | ({
      kind: 'comment_hidden';
      reasonCode: HideReasonCode | null;
      reasonText: string | null;
    } & CommentMail)
  | ({ kind: 'comment_restored' } & CommentMail)
  | ({ kind: 'comment_approved' } & CommentMail)
  | { kind: 'admin_setup'; url: string }
  | ({ kind: 'consultation_closed'; reason: string | null } & FollowerMail)
  | ({ kind: 'report_published' } & FollowerMail)
  | ({ kind: 'response_published' } & FollowerMail)
  /** A mail whose words a feature composed itself in the recipient's language (events). */
  | { kind: 'composed'; displayName: string | null; content: MailContent };

/** What every mail to a consultation's followers carries (see modules/follows/notify.ts). */
interface FollowerMail {
  displayName: string;
  /** The consultation's title in the recipient's language. */
  title: string;
  url: string;
  unsubscribeUrl: string;
}

/** What every mail about the moderation of a person's comment carries (modules/moderation/notices.ts). */
interface CommentMail {
  displayName: string;
  /** The consultation's title in the recipient's language. */
  title: string;
  /** The comment on the consultation page. */
  url: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** Plain-text building blocks; both the text and the HTML part are rendered from the same blocks. */
export type MailBlock =
  | { kind: 'p'; text: string }
  /** Label–value lines, e.g. an event's date and place. */
  | { kind: 'details'; rows: [label: string, value: string][] }
  /** A code to read out or type, e.g. a ticket code, shown large. */
  | { kind: 'code'; text: string }
  /** An inline image attached with this content id (the text part shows `alt`). */
  | { kind: 'image'; cid: string; alt: string }
  | { kind: 'quote'; text: string }
  | { kind: 'action'; label: string; url: string }
  /** A small line with a link below the signature, e.g. the unsubscribe link. */
  | { kind: 'note'; text: string; url: string };

type Block = MailBlock;

export interface MailContent {
  title: string;
  blocks: MailBlock[];
}
type Content = MailContent;

type Kind = MailTemplate['kind'];
type Copy = {
  [K in Kind]: (template: Extract<MailTemplate, { kind: K }>, site: string) => Content;
};

interface Phrases {
  greeting: (name?: string) => string;
  signature: (site: string) => string;
  buttonFallback: string;
}

const p = (text: string): Block => ({ kind: 'p', text });
const action = (label: string, url: string): Block => ({ kind: 'action', label, url });
const note = (text: string, url: string): Block => ({ kind: 'note', text, url });

/** The unsubscribe line of every mail to a consultation's followers. */
const followerNote: Record<Locale, (url: string) => Block> = {
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
const reasonBlocks = (label: string, reason: string): Block[] =>
  reason ? [p(label), { kind: 'quote', text: reason }] : [];

const dateTimeLocales: Record<Locale, string> = { bg: 'bg-BG', en: 'en-GB' };

/** A moment as the recipient reads it, in the municipality's time zone (Europe/Sofia). */
function sofiaDateTime(iso: string, locale: Locale): string {
  return new Intl.DateTimeFormat(dateTimeLocales[locale], {
    timeZone,
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(new Date(iso));
}

type OwnCopy = Omit<Copy, 'composed'>;

const bg: OwnCopy = {
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
  account_deleted: (_template, site) => ({
    title: 'Профилът ви беше изтрит',
    blocks: [
      p('Профилът ви беше изтрит и вече не можете да влизате с него. Благодарим ви за участието!'),
      p(`Ако смятате, че това е грешка, свържете се с ${site}.`),
    ],
  }),
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
  admin_setup: ({ url }, site) => ({
    title: 'Създаване на администраторски профил',
    blocks: [
      p(
        `Платформата за обществени консултации на ${site} е готова за първоначална настройка. За да създадете първия администраторски профил, отворете тази връзка:`,
      ),
      action('Създаване на администратор', url),
      p('Връзката може да се използва само веднъж. Ако не очаквате това писмо, пренебрегнете го.'),
    ],
  }),
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

const en: OwnCopy = {
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
  account_deleted: (_template, site) => ({
    title: 'Your account has been deleted',
    blocks: [
      p(
        'Your account has been deleted and you can no longer sign in with it. Thank you for taking part!',
      ),
      p(`If you think this is a mistake, please contact ${site}.`),
    ],
  }),
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
  admin_setup: ({ url }, site) => ({
    title: 'Create the administrator account',
    blocks: [
      p(
        `The public consultation platform of ${site} is ready to be set up. To create the first administrator account, open this link:`,
      ),
      action('Create the administrator', url),
      p('The link can be used only once. If you were not expecting this email, ignore it.'),
    ],
  }),
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

const copies: Record<Locale, Copy> = {
  bg: { ...bg, composed: ({ content }) => content },
  en: { ...en, composed: ({ content }) => content },
};

const phrases: Record<Locale, Phrases> = {
  bg: {
    greeting: (name) => (name ? `Здравейте, ${name},` : 'Здравейте,'),
    signature: (site) => `С уважение,\n${site}`,
    buttonFallback: 'Ако бутонът не работи, копирайте този адрес в браузъра си:',
  },
  en: {
    greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
    signature: (site) => `Kind regards,\n${site}`,
    buttonFallback: 'If the button does not work, copy this address into your browser:',
  },
};

/** Renders a mail in the recipient's language. `site.name` is the municipality's name in that language. */
export function renderMail(
  template: MailTemplate,
  locale: Locale,
  site: { name: string },
): RenderedMail {
  // The mapped Copy type guarantees each entry takes its own variant; TS cannot correlate the union here.
  const compose = copies[locale][template.kind] as (t: MailTemplate, site: string) => Content;
  const { title, blocks } = compose(template, site.name);
  for (const block of blocks) if ('url' in block) assertWebUrl(block.url);
  const words = phrases[locale];
  const all: Block[] = [
    p(words.greeting(('displayName' in template && template.displayName) || undefined)),
    ...blocks.filter((block) => block.kind !== 'note'),
    p(words.signature(site.name)),
    ...blocks.filter((block) => block.kind === 'note'),
  ];
  const subject = `${title} – ${site.name}`;
  return {
    subject,
    text: renderText(all),
    html: renderHtml(all, { locale, title, subject, siteName: site.name, words }),
  };
}

function assertWebUrl(url: string): void {
  // Links are built by the server, but a javascript: or data: URL must never reach an inbox.
  const protocol = URL.canParse(url) ? new URL(url).protocol : '';
  if (protocol !== 'https:' && protocol !== 'http:')
    throw new Error('Mail links must be http(s) URLs');
}

function renderText(blocks: Block[]): string {
  const parts = blocks.map((block) => {
    if (block.kind === 'action') return block.url;
    if (block.kind === 'note') return `${block.text}\n${block.url}`;
    if (block.kind === 'details') return block.rows.map(([l, v]) => `${l}: ${v}`).join('\n');
    if (block.kind === 'code') return `    ${block.text}`;
    if (block.kind === 'image') return `[${block.alt}]`;
    if (block.kind === 'quote')
      return block.text
        .split('\n')
        .map((line) => `    ${line}`)
        .join('\n');
    return block.text;
  });
  return `${parts.join('\n\n')}\n`;
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const multiline = (text: string) => escapeHtml(text).replaceAll('\n', '<br>');

const colors = {
  text: '#1f2328',
  muted: '#4b5563',
  brand: '#1d4f91',
  page: '#f3f4f6',
  rule: '#d1d5db',
};
const paragraph = 'margin:0 0 16px;';

function renderBlockHtml(block: Block, words: Phrases): string {
  switch (block.kind) {
    case 'p':
      return `<p style="${paragraph}">${multiline(block.text)}</p>`;
    case 'details':
      return `<table role="presentation" style="margin:0 0 16px;border-collapse:collapse;">${block.rows
        .map(
          ([label, value]) =>
            `<tr><th scope="row" style="padding:2px 12px 2px 0;text-align:left;vertical-align:top;color:${colors.muted};font-weight:normal;">${escapeHtml(label)}</th><td style="padding:2px 0;">${multiline(value)}</td></tr>`,
        )
        .join('')}</table>`;
    case 'code':
      return `<p style="margin:0 0 16px;font-family:'Courier New',monospace;font-size:22px;font-weight:bold;letter-spacing:1px;">${escapeHtml(block.text)}</p>`;
    case 'image':
      return `<p style="margin:0 0 16px;"><img src="cid:${escapeHtml(block.cid)}" alt="${escapeHtml(block.alt)}" width="200" height="200" style="display:block;border:0;"></p>`;
    case 'quote':
      return `<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid ${colors.rule};white-space:pre-line;">${escapeHtml(block.text)}</blockquote>`;
    case 'action': {
      const href = escapeHtml(block.url);
      return [
        `<p style="margin:24px 0;"><a href="${href}" style="display:inline-block;padding:12px 20px;background-color:${colors.brand};color:#ffffff;font-weight:bold;text-decoration:none;border-radius:6px;">${escapeHtml(block.label)}</a></p>`,
        `<p style="${paragraph}font-size:14px;color:${colors.muted};">${escapeHtml(words.buttonFallback)}<br><a href="${href}" style="color:${colors.brand};word-break:break-all;">${href}</a></p>`,
      ].join('\n');
    }
    case 'note': {
      const href = escapeHtml(block.url);
      return `<p style="margin:24px 0 0;padding-top:16px;border-top:1px solid ${colors.rule};font-size:13px;color:${colors.muted};">${escapeHtml(block.text)}<br><a href="${href}" style="color:${colors.brand};word-break:break-all;">${href}</a></p>`;
    }
  }
}

function renderHtml(
  blocks: Block[],
  page: { locale: Locale; title: string; subject: string; siteName: string; words: Phrases },
): string {
  const subject = escapeHtml(page.subject);
  return `<!doctype html>
<html lang="${page.locale}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${subject}</title>
</head>
<body style="margin:0;padding:0;background-color:${colors.page};">
<div role="article" aria-roledescription="email" aria-label="${subject}" lang="${page.locale}" style="padding:24px 12px;background-color:${colors.page};">
<div style="max-width:560px;margin:0 auto;padding:32px 28px;background-color:#ffffff;border-radius:8px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:${colors.text};">
<p style="margin:0 0 8px;font-size:14px;font-weight:bold;color:${colors.brand};">${escapeHtml(page.siteName)}</p>
<h1 style="margin:0 0 24px;font-size:22px;line-height:1.3;color:${colors.text};">${escapeHtml(page.title)}</h1>
${blocks.map((block) => renderBlockHtml(block, page.words)).join('\n')}
</div>
</div>
</body>
</html>
`;
}
