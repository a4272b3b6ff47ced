import { describe, expect, it } from 'vitest';
import { consultationTitle, formatFileSize, nestHeadings, pluralForm } from './consultation';

describe('consultationTitle', () => {
  it('uses the English title in English when there is one, marking the language', () => {
    const both = { titleBg: 'Наредба за паркирането', titleEn: 'Parking regulation' };
    expect(consultationTitle(both, 'en')).toEqual({ text: 'Parking regulation', lang: 'en' });
    expect(consultationTitle(both, 'bg')).toEqual({ text: 'Наредба за паркирането', lang: 'bg' });
    expect(consultationTitle({ ...both, titleEn: null }, 'en')).toEqual({
      text: 'Наредба за паркирането',
      lang: 'bg',
    });
  });
});

describe('pluralForm', () => {
  it('tells one from many in both languages', () => {
    expect(pluralForm(1, 'bg')).toBe('one');
    expect(pluralForm(12, 'bg')).toBe('other');
    expect(pluralForm(1, 'en')).toBe('one');
    expect(pluralForm(0, 'en')).toBe('other');
  });
});

describe('formatFileSize', () => {
  it('shows bytes, kilobytes and megabytes in the reader’s number format', () => {
    expect(formatFileSize(999, 'en')).toMatch(/^999 /);
    expect(formatFileSize(340_000, 'en')).toBe('340 kB');
    expect(formatFileSize(1_234_567, 'en')).toBe('1.2 MB');
    expect(formatFileSize(1_234_567, 'bg')).toBe('1,2 MB');
  });
});

describe('nestHeadings', () => {
  it('puts the text’s highest heading at h3 and keeps the others below it', () => {
    expect(nestHeadings('<h1>Раздел I</h1><p>x</p><h2 id="a">Чл. 1</h2>')).toBe(
      '<h3>Раздел I</h3><p>x</p><h4 id="a">Чл. 1</h4>',
    );
    expect(nestHeadings('<h2>Глава</h2><h3>Чл.</h3>')).toBe('<h3>Глава</h3><h4>Чл.</h4>');
    expect(nestHeadings('<h1>a</h1><h5>b</h5><h6>c</h6>')).toBe('<h3>a</h3><h6>b</h6><h6>c</h6>');
  });

  it('leaves text without headings alone, and never touches other tags', () => {
    expect(nestHeadings('<p>h1 <hr> <header></p>')).toBe('<p>h1 <hr> <header></p>');
  });
});
