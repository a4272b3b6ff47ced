import { describe, expect, it } from 'vitest';
import { bg } from './bg';
import { en } from './en';
import { formatDate } from './format';
import { interpolate, t } from './translate';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  it('have the same keys in Bulgarian and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(bg).sort());
  });

  it('have no empty texts', () => {
    for (const catalog of [bg, en]) {
      for (const [key, text] of Object.entries(catalog)) {
        expect(text.trim(), key).not.toBe('');
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, text] of Object.entries(bg)) {
      expect(placeholders(en[key as keyof typeof bg]), key).toEqual(placeholders(text));
    }
  });
});

describe('t', () => {
  it('returns the text in the requested language', () => {
    expect(t('bg', 'nav.home')).toBe('Начало');
    expect(t('en', 'nav.home')).toBe('Home');
  });

  it('fills in placeholders', () => {
    expect(t('en', 'pagination.status', { page: 2, pages: 5 })).toBe('Page 2 of 5');
    expect(t('bg', 'home.signedInAs', { name: 'Иван' })).toBe('Влезли сте като Иван.');
  });

  it('leaves unknown placeholders visible and does not re-expand values', () => {
    expect(interpolate('{a} and {b}', { a: '{b}' })).toBe('{b} and {b}');
  });

  it('never doubles a full stop after a Bulgarian long date ("… 2026 г.")', () => {
    const date = formatDate('2026-11-17T10:00:00Z', 'bg');
    expect(date).toBe('17 ноември 2026 г.');
    expect(t('bg', 'outcome.text', { date, count: 3 })).toBe(
      'Общината публикува справката на 17 ноември 2026 г. Постъпили предложения: 3.',
    );
    // Every message of both catalogs, every placeholder filled with a date.
    for (const catalog of [bg, en]) {
      for (const [key, text] of Object.entries(catalog)) {
        const values = Object.fromEntries(
          placeholders(text).map((name): [string, string] => [name ?? '', date]),
        );
        expect(interpolate(text, values), key).not.toMatch(/\.\./);
      }
    }
  });

  it('keeps the full stop after a value that does not end in one', () => {
    expect(interpolate('On {date}.', { date: '17 November 2026' })).toBe('On 17 November 2026.');
  });
});
