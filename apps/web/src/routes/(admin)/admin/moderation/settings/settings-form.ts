import { errorMessages, type Locale, type ModerationSettings } from '@sabor/contracts';
import type { FormError } from '$lib/form-error';
import { t } from '$lib/i18n/translate';

/** The settings form as typed: numbers as text, word lists one per line. */
export interface SettingsFormValues {
  autoHideReports: string;
  newAccountHours: string;
  newAccountHeldComments: string;
  newAccountPerMinute: string;
  newAccountPerDay: string;
  holdLinksFromNewAccounts: boolean;
  wordsBg: string;
  wordsEn: string;
}

export const numberFields = [
  'autoHideReports',
  'newAccountHours',
  'newAccountHeldComments',
  'newAccountPerMinute',
  'newAccountPerDay',
] as const satisfies readonly (keyof ModerationSettings)[];
const listFields = ['wordsBg', 'wordsEn'] as const;

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

export function readSettingsForm(form: FormData): SettingsFormValues {
  return {
    autoHideReports: text(form, 'autoHideReports'),
    newAccountHours: text(form, 'newAccountHours'),
    newAccountHeldComments: text(form, 'newAccountHeldComments'),
    newAccountPerMinute: text(form, 'newAccountPerMinute'),
    newAccountPerDay: text(form, 'newAccountPerDay'),
    holdLinksFromNewAccounts: form.get('holdLinksFromNewAccounts') !== null,
    wordsBg: text(form, 'wordsBg'),
    wordsEn: text(form, 'wordsEn'),
  };
}

/** The form filled in with the settings as stored. */
export function settingsFormValues(settings: ModerationSettings): SettingsFormValues {
  return {
    autoHideReports: String(settings.autoHideReports),
    newAccountHours: String(settings.newAccountHours),
    newAccountHeldComments: String(settings.newAccountHeldComments),
    newAccountPerMinute: String(settings.newAccountPerMinute),
    newAccountPerDay: String(settings.newAccountPerDay),
    holdLinksFromNewAccounts: settings.holdLinksFromNewAccounts,
    wordsBg: settings.wordsBg.join('\n'),
    wordsEn: settings.wordsEn.join('\n'),
  };
}

/** One word or phrase per line: trimmed, without blank lines or repeats (in any case). */
export function wordLines(value: string): string[] {
  const seen = new Set<string>();
  const words: string[] = [];
  for (const line of value.split(/\r\n|\r|\n/)) {
    const word = line.trim();
    const key = word.toLocaleLowerCase();
    if (word === '' || seen.has(key)) continue;
    seen.add(key);
    words.push(word);
  }
  return words;
}

function validationError(locale: Locale, fields: NonNullable<FormError['fields']>): FormError {
  return { code: 'validation_failed', message: errorMessages.validation_failed[locale], fields };
}

/**
 * The body to save, or the fields that are not whole numbers (told here, next to the field; ranges
 * and the word lists are the API's to check).
 */
export function settingsBody(
  values: SettingsFormValues,
  locale: Locale,
): { ok: true; body: ModerationSettings } | { ok: false; error: FormError } {
  const fields: NonNullable<FormError['fields']> = {};
  const numbers: Partial<Record<(typeof numberFields)[number], number>> = {};
  for (const name of numberFields) {
    const typed = values[name].trim();
    if (/^\d{1,15}$/.test(typed)) numbers[name] = Number(typed);
    else fields[name] = { code: 'invalid', message: t(locale, 'moderationSettings.wholeNumber') };
  }
  if (Object.keys(fields).length > 0) return { ok: false, error: validationError(locale, fields) };
  return {
    ok: true,
    body: {
      ...(numbers as Record<(typeof numberFields)[number], number>),
      holdLinksFromNewAccounts: values.holdLinksFromNewAccounts,
      wordsBg: wordLines(values.wordsBg),
      wordsEn: wordLines(values.wordsEn),
    },
  };
}

/** Shortened for a message: the word a problem is about may itself be the problem (too long). */
const quoted = (word: string) => (word.length > 40 ? `${word.slice(0, 40)}…` : word);

/**
 * The API's answer as the form shows it: a problem with one word of a list (`wordsBg.3`) is shown
 * under the list, naming the word.
 */
export function settingsError(
  error: FormError,
  sent: ModerationSettings,
  locale: Locale,
): FormError {
  if (!error.fields) return error;
  const fields: NonNullable<FormError['fields']> = {};
  for (const [name, problem] of Object.entries(error.fields)) {
    const [list, index] = name.split('.');
    const field = listFields.find((f) => f === list);
    const word = field && index !== undefined ? sent[field][Number(index)] : undefined;
    if (!field || word === undefined) {
      fields[name] = problem;
      continue;
    }
    const message = t(locale, 'moderationSettings.wordError', {
      word: quoted(word),
      message: problem.message,
    });
    const earlier = fields[field];
    fields[field] = {
      code: earlier?.code ?? problem.code,
      message: earlier ? `${earlier.message} ${message}` : message,
    };
  }
  return { ...error, fields };
}
