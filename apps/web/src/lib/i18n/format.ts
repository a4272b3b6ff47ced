import type { Locale } from '@sabor/contracts';
// Every date and time is shown in the municipality's time zone, whatever the server's or browser's.
import { timeZone } from '@sabor/contracts/values';

const intlLocales: Record<Locale, string> = { bg: 'bg-BG', en: 'en-GB' };

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** A date/time format in `locale` and Sofia time, made once (making one costs more than using it). */
export function formatter(
  locale: Locale,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const cacheKey = `${locale}:${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat(intlLocales[locale], { ...options, timeZone });
    dateTimeFormats.set(cacheKey, format);
  }
  return format;
}

export function formatDateTime(iso: string | Date, locale: Locale): string {
  return formatter(locale, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
}

export function formatDate(iso: string | Date, locale: Locale): string {
  return formatter(locale, { dateStyle: 'long' }).format(new Date(iso));
}

const numberFormats: Record<Locale, Intl.NumberFormat> = {
  bg: new Intl.NumberFormat(intlLocales.bg),
  en: new Intl.NumberFormat(intlLocales.en),
};

export function formatNumber(value: number, locale: Locale): string {
  return numberFormats[locale].format(value);
}
