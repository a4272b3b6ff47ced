import type { Locale } from '@sabor/contracts';
import { bg } from './bg';
import { en } from './en';

export type MessageKey = keyof typeof bg;

/** Every catalog has exactly the keys of the Bulgarian one, with string values. */
export type Messages = { readonly [K in MessageKey]: string };

/** Names of the `{placeholders}` in a message text. */
type PlaceholderNames<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PlaceholderNames<Rest>
  : never;

export type MessageParams<K extends MessageKey> = Record<
  PlaceholderNames<(typeof bg)[K]>,
  string | number
>;

/** Extra argument of t(): required exactly when the message has placeholders. */
export type ParamsArg<K extends MessageKey> = [PlaceholderNames<(typeof bg)[K]>] extends [never]
  ? []
  : [params: MessageParams<K>];

export const catalogs: Record<Locale, Messages> = { bg, en };

/**
 * Fills `{name}` placeholders. A value that already ends a sentence's full stop (a Bulgarian long
 * date ends in "г.", an abbreviation in ".") swallows the message's own full stop right after it,
 * so "на {date}." never reads "17 ноември 2026 г..".
 */
export function interpolate(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}(\.?)/g, (whole, name: string, stop: string) => {
    if (!(name in params)) return whole;
    const value = String(params[name]);
    return value.endsWith('.') ? value : value + stop;
  });
}

/** The message `key` in `locale`, with `{name}` placeholders filled from `params`. */
export function t<K extends MessageKey>(locale: Locale, key: K, ...params: ParamsArg<K>): string {
  const [values] = params as [Record<string, string | number>?];
  return interpolate(catalogs[locale][key], values);
}
