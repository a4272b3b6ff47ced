import type { ConsultationSummary, DocumentContentType, Locale } from '@sabor/contracts';

/*
 * Only types come from @sabor/contracts here: components import this module, and the contracts'
 * values would bring zod into the browser bundle.
 */

/** The title to show in `locale` and its language: the English title when there is one. */
export function consultationTitle(
  consultation: Pick<ConsultationSummary, 'titleBg' | 'titleEn'>,
  locale: Locale,
): { text: string; lang: Locale } {
  if (locale === 'en' && consultation.titleEn) return { text: consultation.titleEn, lang: 'en' };
  return { text: consultation.titleBg, lang: 'bg' };
}

const pluralRules = new Map<Locale, Intl.PluralRules>();

/** 'one' or 'other': the form of a count's noun in `locale` (Bulgarian and English have just these). */
export function pluralForm(count: number, locale: Locale): 'one' | 'other' {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(count) === 'one' ? 'one' : 'other';
}

/** Short names of the document kinds the API accepts. */
const documentKinds: Record<DocumentContentType, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.oasis.opendocument.text': 'ODT',
};

export function documentKind(contentType: DocumentContentType): string {
  return documentKinds[contentType];
}

const intlLocales: Record<Locale, string> = { bg: 'bg-BG', en: 'en-GB' };

/** A file size for people: "340 kB", "1,2 MB" (decimal units, as file managers show them). */
export function formatFileSize(bytes: number, locale: Locale): string {
  const [value, unit] =
    bytes >= 1_000_000
      ? [bytes / 1_000_000, 'megabyte']
      : bytes >= 1_000
        ? [bytes / 1_000, 'kilobyte']
        : [bytes, 'byte'];
  return new Intl.NumberFormat(intlLocales[locale], {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: value < 10 ? 1 : 0,
  }).format(value);
}

/**
 * A staff document's HTML with its headings moved under the page's own: the highest heading in
 * the text becomes `top` (h3 under the page's "Text of the draft" h2) and the rest keep their
 * distances, capped at h6. The HTML is already sanitized by the API; only tag names change.
 */
export function nestHeadings(html: string, top = 3): string {
  const levels = [...html.matchAll(/<h([1-6])[\s>]/gi)].map((match) => Number(match[1]));
  if (levels.length === 0) return html;
  const shift = top - Math.min(...levels);
  return html.replace(
    /<(\/?)h([1-6])(?=[\s>])/gi,
    (_, slash: string, level: string) => `<${slash}h${Math.min(6, Number(level) + shift)}`,
  );
}

/**
 * Sign-in that comes back to the comment form of a consultation: its text box,
 * `#new-comment-body`, the first field of the form and where the call to comment lands.
 */
export function commentSignInPath(consultationId: string): `/login?next=${string}` {
  return `/login?next=${encodeURIComponent(`/consultations/${consultationId}#new-comment-body`)}`;
}
