import type { Locale } from '@sabor/contracts';

const intlLocales: Record<Locale, string> = { bg: 'bg-BG', en: 'en-GB' };

const units = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
] as const;

/**
 * A length of time in words, with its largest `precision` units: "2 days and 3 hours",
 * "45 minutes", "1 ден и 1 час". Plurals and the joining word come from Intl, in the reader's
 * language.
 */
export function durationInWords(seconds: number, locale: Locale, precision = 2): string {
  const language = intlLocales[locale];
  let rest = Math.max(0, Math.round(seconds));
  const parts: string[] = [];
  for (const [unit, size] of units) {
    if (parts.length === precision) break;
    const count = Math.floor(rest / size);
    rest -= count * size;
    // Adjacent units only: "2 days" rather than "2 days and 5 minutes" when the hours are zero.
    if (count > 0) {
      parts.push(
        new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(count),
      );
    } else if (parts.length > 0) {
      break;
    }
  }
  if (parts.length === 0) {
    return new Intl.NumberFormat(language, {
      style: 'unit',
      unit: 'second',
      unitDisplay: 'long',
    }).format(0);
  }
  return new Intl.ListFormat(language, { type: 'conjunction' }).format(parts);
}

/** How long ago `iso` was, in words of one unit ("3 days", "5 hours"), as of `now`. */
export function ageInWords(iso: string, locale: Locale, now: number = Date.now()): string {
  return durationInWords((now - Date.parse(iso)) / 1000, locale, 1);
}

/**
 * A comment's Markdown as one line of plain text of at most `max` characters, cut at a word where
 * possible: what a queue row shows. Markup characters stay (it is text, never HTML).
 */
export function excerpt(markdown: string, max = 240): string {
  const text = markdown.replace(/\s+/g, ' ').trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
