import { defaultLocale, localeCookieName } from '@sabor/contracts';
import type { Handle, HandleFetch, HandleServerError } from '@sveltejs/kit';
import { resolveLocale } from '$lib/i18n/resolve-locale';
import { t } from '$lib/i18n/translate';
import { api } from '$lib/server/api';
import { env } from '$lib/server/env';
import { flashCookieName } from '$lib/flash';

/** Cookies that never identify a session, so a request carrying only these skips the lookup. */
const nonSessionCookies = new Set([localeCookieName, flashCookieName]);

const securityHeaders: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
};

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.locale = resolveLocale(event.cookies.get(localeCookieName));
  event.locals.user = null;
  const mayHaveSession = event.cookies.getAll().some((c) => !nonSessionCookies.has(c.name));
  if (mayHaveSession && event.url.pathname !== '/theme.css') {
    const session = await api.session(event);
    if (session.ok) event.locals.user = session.data.user;
  }

  const response = await resolve(event, {
    transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale),
  });
  for (const [name, value] of Object.entries(securityHeaders)) {
    if (!response.headers.has(name)) response.headers.set(name, value);
  }
  if (event.locals.user && !response.headers.has('cache-control')) {
    // Pages for a signed-in person may show personal data: keep them out of shared caches.
    response.headers.set('cache-control', 'private, no-store');
  }
  return response;
};

/**
 * Server-side `fetch('/api/…')` goes to the API process with the visitor's cookies and the
 * headers the API needs to apply its origin check, rate limits and language.
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const url = new URL(request.url);
  if (url.origin !== event.url.origin || !url.pathname.startsWith('/api/')) return fetch(request);

  const headers = new Headers(request.headers);
  const cookie = event.cookies
    .getAll({ decode: (value) => value })
    .filter((c) => c.value !== '')
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
  if (cookie) headers.set('cookie', cookie);
  else headers.delete('cookie');
  headers.set('origin', event.url.origin);
  headers.set('x-forwarded-host', event.url.host);
  headers.set('x-forwarded-proto', event.url.protocol.replace(/:$/, ''));
  headers.set('x-forwarded-for', event.getClientAddress());
  headers.set('accept-language', event.locals.locale);
  const userAgent = event.request.headers.get('user-agent');
  if (userAgent) headers.set('user-agent', userAgent);
  else headers.delete('user-agent');

  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return globalThis.fetch(`${env.SABOR_API_URL}${url.pathname}${url.search}`, {
    method: request.method,
    headers,
    body: hasBody ? await request.arrayBuffer() : undefined,
    redirect: 'manual',
    signal: request.signal,
  });
};

/** Logs the real error; visitors get a translated generic message and an id to quote. */
export const handleError: HandleServerError = ({ error, event, status }) => {
  const locale = (event.locals as Partial<App.Locals>).locale ?? defaultLocale;
  if (status === 404) return { message: t(locale, 'error.notFound') };
  const id = crypto.randomUUID();
  console.error(`Unexpected error ${id} on ${event.request.method} ${event.url.pathname}`, error);
  return { message: t(locale, 'error.unexpected'), id };
};
