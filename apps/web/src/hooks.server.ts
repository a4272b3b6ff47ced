import { defaultLocale, localeCookieName } from '@sabor/contracts';
import { inProcessApi, type InProcessRequest } from '@sabor/contracts/in-process';
import type { Handle, HandleFetch, HandleServerError, RequestEvent } from '@sveltejs/kit';
import { resolveLocale } from '$lib/i18n/resolve-locale';
import { t } from '$lib/i18n/translate';
import { api } from '$lib/server/api';
import { sendToApi } from '$lib/server/api-transport';
import { flashCookieName } from '$lib/flash';
import { sharedCacheControl } from '$lib/server/shared-page';

/** Cookies that never identify a session, so a request carrying only these skips the lookup. */
const nonSessionCookies = new Set([localeCookieName, flashCookieName]);

const securityHeaders: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
};

const mayHaveSession = (event: RequestEvent) =>
  event.cookies.getAll().some((c) => !nonSessionCookies.has(c.name));

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.locale = resolveLocale(event.cookies.get(localeCookieName));
  event.locals.user = null;
  // In one process the API resolved the session when the request arrived: no lookup here.
  const page = inProcessApi()?.page();
  if (page) event.locals.user = page.user;
  else if (mayHaveSession(event) && event.url.pathname !== '/theme.css') {
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
  const shared = sharedCacheControl(event, response);
  if (shared) response.headers.set('cache-control', shared);
  return response;
};

/**
 * Server-side `fetch('/api/…')` reaches the API as the visitor: in process when the API runs here,
 * otherwise over HTTP to SABOR_API_URL (see api-transport.ts).
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const url = new URL(request.url);
  if (url.origin !== event.url.origin || !url.pathname.startsWith('/api/')) return fetch(request);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    if (name !== 'cookie') headers[name] = value;
  });
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return sendToApi(event, {
    method: request.method as InProcessRequest['method'],
    url: `${url.pathname}${url.search}`,
    headers,
    body: hasBody ? new Uint8Array(await request.arrayBuffer()) : undefined,
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
