import { page } from '$app/state';
import type { Locale } from '@sabor/contracts';
import { formatDate, formatDateTime, formatNumber } from './format';
import { t, type MessageKey, type ParamsArg } from './translate';

/*
 * Helpers for components: they read the locale of the page being rendered, so they must be
 * called while rendering (in markup or $derived), never at module level.
 */

/*
 * Only types come from @sabor/contracts here: its values would bring zod into the browser bundle.
 */
const fallbackLocale: Locale = 'bg';

export function locale(): Locale {
  // The root layout always provides it; the fallback covers an error page rendered without data.
  return (page.data as Partial<App.PageData>).locale ?? fallbackLocale;
}

/** The message `key` in the current page's language. */
export function m<K extends MessageKey>(key: K, ...params: ParamsArg<K>): string {
  return t(locale(), key, ...params);
}

export const dateTime = (iso: string): string => formatDateTime(iso, locale());
export const date = (iso: string): string => formatDate(iso, locale());
export const number = (value: number): string => formatNumber(value, locale());
