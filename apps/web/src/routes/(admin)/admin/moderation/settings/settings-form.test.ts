import type { ModerationSettings } from '@sabor/contracts';
import { describe, expect, it } from 'vitest';
import {
  readSettingsForm,
  settingsBody,
  settingsError,
  settingsFormValues,
  wordLines,
} from './settings-form';

const stored: ModerationSettings = {
  autoHideReports: 3,
  newAccountHours: 24,
  newAccountHeldComments: 1,
  newAccountPerMinute: 2,
  newAccountPerDay: 20,
  holdLinksFromNewAccounts: true,
  wordsBg: ['измама', 'купи сега'],
  wordsEn: ['casino'],
};

function formOf(values: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(values)) form.set(name, value);
  return form;
}

const typed = {
  autoHideReports: '5',
  newAccountHours: ' 48 ',
  newAccountHeldComments: '0',
  newAccountPerMinute: '3',
  newAccountPerDay: '100',
  wordsBg: 'измама\r\n\n  Купи сега  \nкупи СЕГА\n',
  wordsEn: '',
};

describe('settings form', () => {
  it('shows the stored settings, one word per line, and reads them back unchanged', () => {
    const values = settingsFormValues(stored);
    expect(values.wordsBg).toBe('измама\nкупи сега');
    const form = formOf({ ...values, holdLinksFromNewAccounts: 'yes' });
    expect(settingsBody(readSettingsForm(form), 'bg')).toEqual({ ok: true, body: stored });
  });

  it('sends numbers as numbers, an unticked box as false, and word lists without blanks or repeats', () => {
    const result = settingsBody(readSettingsForm(formOf(typed)), 'en');
    expect(result).toEqual({
      ok: true,
      body: {
        autoHideReports: 5,
        newAccountHours: 48,
        newAccountHeldComments: 0,
        newAccountPerMinute: 3,
        newAccountPerDay: 100,
        holdLinksFromNewAccounts: false,
        wordsBg: ['измама', 'Купи сега'],
        wordsEn: [],
      },
    });
  });

  it('refuses what is not a whole number next to its field, in the reader’s language', () => {
    const values = readSettingsForm(
      formOf({
        ...typed,
        autoHideReports: '',
        newAccountHours: '1.5',
        newAccountPerDay: "1' OR 1=1",
      }),
    );
    const result = settingsBody(values, 'bg');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.error.fields ?? {}).sort()).toEqual([
      'autoHideReports',
      'newAccountHours',
      'newAccountPerDay',
    ]);
    expect(result.error.fields?.autoHideReports?.message).toBe('Въведете цяло число.');
    expect(settingsBody({ ...values, autoHideReports: '-1' }, 'en')).toMatchObject({
      ok: false,
      error: { fields: { autoHideReports: { message: 'Enter a whole number.' } } },
    });
  });

  it('shows a problem with one word under its list, naming the word', () => {
    const long = 'д'.repeat(70);
    const sent = { ...stored, wordsBg: ['измама', long], wordsEn: ['ok', 'bad\u0007'] };
    const error = settingsError(
      {
        code: 'validation_failed',
        message: 'Some fields are not filled in correctly.',
        fields: {
          'wordsBg.1': { code: 'too_long', message: 'Too long: at most 64 characters.' },
          'wordsEn.1': { code: 'control_characters', message: 'Control characters.' },
          autoHideReports: { code: 'too_big', message: 'The value is too large.' },
        },
      },
      sent,
      'en',
    );
    expect(error.fields).toEqual({
      wordsBg: {
        code: 'too_long',
        message: `“${'д'.repeat(40)}…”: Too long: at most 64 characters.`,
      },
      wordsEn: { code: 'control_characters', message: '“bad\u0007”: Control characters.' },
      autoHideReports: { code: 'too_big', message: 'The value is too large.' },
    });
  });

  it('keeps whole-list problems as they are', () => {
    const error = {
      code: 'validation_failed' as const,
      message: 'x',
      fields: { wordsEn: { code: 'too_big', message: 'The value is too large.' } },
    };
    expect(settingsError(error, stored, 'en')).toEqual(error);
  });
});

describe('wordLines', () => {
  it('splits on any line ending and keeps the first spelling of a repeated word', () => {
    expect(wordLines('Казино\rказино\n\n спам \r\n')).toEqual(['Казино', 'спам']);
  });
});
