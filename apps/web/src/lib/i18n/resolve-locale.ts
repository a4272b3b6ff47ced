import type { Locale } from '@sabor/contracts';
import { defaultLocale, locales } from '@sabor/contracts/values';

/** Reads a locale value such as a cookie or form field; undefined when it is not one we offer. */
export function parseLocale(value: unknown): Locale | undefined {
  return locales.find((locale) => locale === value);
}

/**
 * The visitor's chosen language (cookie), else Bulgarian. The browser's Accept-Language is not
 * consulted: the municipality's site is Bulgarian first, and many residents browse with English
 * browser settings; English is one visible click away and then remembered.
 */
export function resolveLocale(cookie: string | undefined): Locale {
  return parseLocale(cookie) ?? defaultLocale;
}
