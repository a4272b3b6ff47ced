import { describe, expect, it } from 'vitest';
import { parseLocale, resolveLocale } from './resolve-locale';

describe('resolveLocale', () => {
  it('follows the language the visitor chose', () => {
    expect(resolveLocale('en')).toBe('en');
    expect(resolveLocale('bg')).toBe('bg');
  });

  it('defaults to Bulgarian, also for unknown or hostile cookie values', () => {
    expect(resolveLocale(undefined)).toBe('bg');
    expect(resolveLocale('de')).toBe('bg');
    expect(resolveLocale('<script>')).toBe('bg');
  });
});

describe('parseLocale', () => {
  it('accepts only the languages Sabor offers', () => {
    expect(parseLocale('en')).toBe('en');
    expect(parseLocale('EN')).toBeUndefined();
    expect(parseLocale(42)).toBeUndefined();
  });
});
