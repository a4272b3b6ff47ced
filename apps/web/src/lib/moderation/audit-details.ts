import type { Locale } from '@sabor/contracts';
import { hideReasonTemplates } from '@sabor/contracts/moderation-labels';
import { formatDate, formatDateTime, formatNumber } from '$lib/i18n/format';
import { catalogs, t, type MessageKey } from '$lib/i18n/translate';

/*
 * The details of an audit entry as sentences for people, in the page's language: known fields by
 * name with their values named too (a role, a cause, a reason), ids left out (the entry links to
 * its target), and anything unforeseen as "field: value" lines, never as JSON.
 */

type Details = Record<string, unknown>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Fields that only say which row was meant (the entry names and links its target instead). */
const idFields = new Set([
  'itemId',
  'consultationId',
  'noteId',
  'questionId',
  'documentId',
  'contentType',
  'sha256',
]);

/** A moderation setting's name as the settings page calls it. */
const settingKeys: Record<string, MessageKey> = {
  autoHideReports: 'moderationSettings.autoHideReports',
  newAccountHours: 'moderationSettings.newAccountHours',
  newAccountHeldComments: 'moderationSettings.newAccountHeldComments',
  newAccountPerMinute: 'moderationSettings.newAccountPerMinute',
  newAccountPerDay: 'moderationSettings.newAccountPerDay',
  holdLinksFromNewAccounts: 'moderationSettings.holdLinks',
  wordsBg: 'moderationSettings.wordsBg',
  wordsEn: 'moderationSettings.wordsEn',
};

// Every catalog has the same keys (a unit test checks it): the Bulgarian one answers for all.
const isKey = (key: string): key is MessageKey => Object.hasOwn(catalogs.bg, key);

/** A named value (`prefix` + value) when the catalog has it, else the value as written. */
function named(prefix: string, value: unknown, locale: Locale): string {
  const key = `${prefix}${String(value)}`;
  return isKey(key) ? catalogs[locale][key] : plain(value, locale);
}

/** A value as text: numbers in the page's format, yes/no, lists joined, dates and times read. */
function plain(value: unknown, locale: Locale): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return t(locale, value ? 'audit.yes' : 'audit.no');
  if (typeof value === 'number') return formatNumber(value, locale);
  if (Array.isArray(value)) return value.map((item) => plain(item, locale)).join(', ') || '—';
  if (typeof value === 'object') {
    return Object.entries(value as Details)
      .map(([key, inner]) => `${key}: ${plain(inner, locale)}`)
      .join('; ');
  }
  if (typeof value !== 'string') return '—'; // JSON holds nothing else
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDateTime(value, locale);
  return value;
}

function sizeInWords(bytes: unknown, locale: Locale): string {
  if (typeof bytes !== 'number') return plain(bytes, locale);
  const kib = bytes / 1024;
  return kib < 1024
    ? t(locale, 'audit.sizeKb', { size: formatNumber(Math.max(1, Math.round(kib)), locale) })
    : t(locale, 'audit.sizeMb', { size: formatNumber(Math.round(kib / 102.4) / 10, locale) });
}

/** What changed between two versions of the moderation settings, one line a setting. */
function settingChanges(before: unknown, after: unknown, locale: Locale): string[] {
  if (typeof before !== 'object' || typeof after !== 'object' || !before || !after) return [];
  const old = before as Details;
  const now = after as Details;
  return Object.keys(now)
    .filter((key) => JSON.stringify(old[key]) !== JSON.stringify(now[key]))
    .map((key) => {
      const nameKey = settingKeys[key];
      const name = nameKey ? catalogs[locale][nameKey] : key;
      return `${name}: ${plain(old[key], locale)} → ${plain(now[key], locale)}`;
    });
}

/** One line for a known field, or null when the field is left out. */
function line(key: string, value: unknown, details: Details, locale: Locale): string | null {
  switch (key) {
    case 'cause':
      return t(locale, 'audit.detail.cause', { value: named('moderation.cause.', value, locale) });
    case 'reasonCode': {
      if (value === null) return null;
      const template = hideReasonTemplates[value as keyof typeof hideReasonTemplates];
      return t(locale, 'audit.detail.reasonCode', {
        value: template ? template[locale] : plain(value, locale),
      });
    }
    case 'from':
      return t(locale, 'audit.detail.role', {
        from: named('role.', value, locale),
        to: named('role.', details.to, locale),
      });
    case 'to':
      return null; // told with "from"
    case 'until':
      return value === null
        ? t(locale, 'audit.detail.untilFurtherNotice')
        : t(locale, 'audit.detail.until', { date: plain(value, locale) });
    case 'state':
      return t(locale, 'audit.detail.state', {
        value: named('consultation.state.', value, locale),
      });
    case 'plannedClosesAt':
      return t(locale, 'audit.detail.plannedClosesAt', {
        date: typeof value === 'string' ? formatDate(value, locale) : plain(value, locale),
      });
    case 'number':
      return t(locale, 'audit.detail.version', { number: plain(value, locale) });
    case 'title':
      return t(locale, 'audit.detail.document', { title: plain(value, locale) });
    case 'fileName':
      return t(locale, 'audit.detail.fileName', { value: plain(value, locale) });
    case 'size':
      return t(locale, 'audit.detail.size', { value: sizeInWords(value, locale) });
    case 'proposals':
      return t(locale, 'audit.detail.proposals', { count: plain(value, locale) });
    case 'decision':
      return t(locale, 'audit.detail.decision', {
        value: named('comment.decision.', value, locale),
      });
    case 'previousDecision':
      return t(locale, 'audit.detail.previousDecision', {
        value: named('comment.decision.', value, locale),
      });
    case 'previousReason':
      return t(locale, 'audit.detail.previousReason', { value: plain(value, locale) });
    case 'fields':
      return t(locale, 'audit.detail.fields', {
        count: formatNumber(Array.isArray(value) ? value.length : 0, locale),
      });
    case 'notified':
      return t(locale, 'audit.detail.notified', { value: plain(value, locale) });
    case 'before':
      return settingChanges(value, details.after, locale).join('\n') || null;
    case 'after':
      return null; // told with "before"
    default:
      return `${key}: ${plain(value, locale)}`;
  }
}

/** The readable lines of an entry's details (none when it has none). */
export function auditDetailLines(details: Details | null, locale: Locale): string[] {
  if (!details) return [];
  return Object.entries(details)
    .filter(
      ([key, value]) =>
        !idFields.has(key) && !(typeof value === 'string' && uuidPattern.test(value)),
    )
    .flatMap(([key, value]) => line(key, value, details, locale)?.split('\n') ?? []);
}

/**
 * The reason of an entry as people read it. A hiding's reason is recorded as
 * "<reason code>: <moderator's words>"; the code is already told by name in the details, so only
 * the words are left here (null when there are none).
 */
export function auditReasonText(reason: string | null, details: Details | null): string | null {
  const code = details?.reasonCode;
  if (reason === null || typeof code !== 'string' || !reason.startsWith(code)) return reason;
  const words = reason.slice(code.length).replace(/^:\s*/, '').trim();
  return words === '' ? null : words;
}
