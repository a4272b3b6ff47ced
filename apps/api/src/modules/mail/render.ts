import type { Locale } from '@sabor/contracts';

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

/**
 * One language's words for each kind of a feature's mails; `site` is the municipality's name in
 * that language. A feature keeps its table beside its code (e.g. modules/auth/mails.ts).
 */
export type MailCopy<T extends { kind: string }> = {
  [K in T['kind']]: (mail: Extract<T, { kind: K }>, site: string) => MailContent;
};

/** A mail's words as its feature composed them, and the name its greeting uses (none: plain). */
export interface ComposedMail {
  displayName: string | null;
  content: MailContent;
}

/** Composes `mail` from a feature's table in the recipient's language; the greeting names `displayName`. */
export function composeMail<T extends { kind: string }>(
  copies: Record<Locale, MailCopy<T>>,
  mail: T,
  locale: Locale,
  site: string,
): ComposedMail {
  // The mapped MailCopy type guarantees each entry takes its own variant; TS cannot correlate the union here.
  const compose = copies[locale][mail.kind as T['kind']] as (mail: T, site: string) => MailContent;
  const displayName =
    'displayName' in mail && typeof mail.displayName === 'string' ? mail.displayName : null;
  return { displayName, content: compose(mail, site) };
}

interface Phrases {
  greeting: (name?: string) => string;
  signature: (site: string) => string;
  buttonFallback: string;
}

export const p = (text: string): Block => ({ kind: 'p', text });
export const action = (label: string, url: string): Block => ({ kind: 'action', label, url });
export const note = (text: string, url: string): Block => ({ kind: 'note', text, url });

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
  mail: ComposedMail,
  locale: Locale,
  site: { name: string },
): RenderedMail {
  const { title, blocks } = mail.content;
  for (const block of blocks) if ('url' in block) assertWebUrl(block.url);
  const words = phrases[locale];
  const all: Block[] = [
    p(words.greeting(mail.displayName || undefined)),
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
