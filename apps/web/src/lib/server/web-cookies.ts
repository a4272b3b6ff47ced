import { localeCookieName, type Locale } from '@sabor/contracts';
import type { RequestEvent } from '@sveltejs/kit';
import { flashCookieName, type FlashKey } from '$lib/flash';

type CookieEvent = Pick<RequestEvent, 'cookies' | 'url'>;

function baseOptions(event: CookieEvent) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: event.url.protocol === 'https:',
  };
}

/** Remembers the chosen language for a year. */
export function setLocaleCookie(event: CookieEvent, locale: Locale): void {
  event.cookies.set(localeCookieName, locale, {
    ...baseOptions(event),
    maxAge: 60 * 60 * 24 * 365,
  });
}

/** Leaves a notice for the next page the visitor sees, so it survives a redirect without JavaScript. */
export function setFlash(event: CookieEvent, key: FlashKey): void {
  event.cookies.set(flashCookieName, key, { ...baseOptions(event), maxAge: 60 });
}
