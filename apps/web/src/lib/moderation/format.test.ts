import { describe, expect, it } from 'vitest';
import { ageInWords, durationInWords, excerpt } from './format';

describe('durationInWords', () => {
  it('says a length of time with its two largest adjacent units, in both languages', () => {
    expect(durationInWords(2 * 86_400 + 3 * 3_600 + 59, 'en')).toBe('2 days and 3 hours');
    expect(durationInWords(2 * 86_400 + 3 * 3_600, 'bg')).toBe('2 дни и 3 часа');
    expect(durationInWords(3_600 + 60, 'bg')).toBe('1 час и 1 минута');
    expect(durationInWords(45 * 60, 'en')).toBe('45 minutes');
    // Hours zero: "2 days", not "2 days and 5 minutes".
    expect(durationInWords(2 * 86_400 + 300, 'en')).toBe('2 days');
    expect(durationInWords(90, 'en', 1)).toBe('1 minute');
  });

  it('has words for nothing at all and for a fraction of a second', () => {
    expect(durationInWords(0, 'en')).toBe('0 seconds');
    expect(durationInWords(0.2, 'bg')).toBe('0 секунди');
  });
});

describe('ageInWords', () => {
  it('tells an account’s age in one unit', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(ageInWords('2026-11-25T11:00:00Z', 'en', now)).toBe('3 days');
    expect(ageInWords('2026-11-28T07:00:00Z', 'bg', now)).toBe('5 часа');
  });
});

describe('excerpt', () => {
  it('keeps short text whole on one line', () => {
    expect(excerpt('Ред едно\n\nред   две')).toBe('Ред едно ред две');
  });

  it('cuts long text at a word and marks the cut', () => {
    const text = 'дума '.repeat(100);
    const cut = excerpt(text, 30);
    expect(cut.length).toBeLessThanOrEqual(30);
    expect(cut.endsWith('дума…')).toBe(true);
  });

  it('cuts a long word mid-way rather than showing nothing', () => {
    expect(excerpt('а'.repeat(50), 10)).toBe(`${'а'.repeat(9)}…`);
  });
});
