import { localeCookieName } from '@sabor/contracts';
import type { RequestEvent } from '@sveltejs/kit';

/**
 * How long a page marked with `shareWithVisitors` may be kept by a shared cache: Sabor's own page
 * cache (apps/api/src/plugins/page-cache.ts, capped by PAGE_CACHE_SECONDS) or a proxy in front.
 */
const sharedSeconds = 1;

/**
 * Says that this page, rendered for a visitor who is not signed in, is the page every such visitor
 * gets in this language: it shows nothing of theirs, and its live parts follow from the bookmark
 * it was rendered at, so a copy a second old is caught up by the socket. Call it only once the
 * page's data is complete; a page built from fallbacks (see `markIncomplete`) is never shared.
 */
export function shareWithVisitors(event: Pick<RequestEvent, 'locals'>): void {
  event.locals.shareable = true;
}

/** Keeps this response out of shared caches: it was built without some of its data. */
export function markIncomplete(event: Pick<RequestEvent, 'locals'>): void {
  event.locals.incomplete = true;
}

/**
 * The Cache-Control of a response that may be shared, or null: the page asked for it, nobody is
 * signed in, the request carries no cookie but the language's, and the response sets none. Only
 * whole pages are shared, never the data a page in the browser asks for (`__data.json`): a page
 * reloads its data when a live event says it changed, and must then get what is there now.
 */
export function sharedCacheControl(event: RequestEvent, response: Response): string | null {
  const shareable =
    event.locals.shareable === true &&
    !event.isDataRequest &&
    event.locals.incomplete !== true &&
    event.locals.user === null &&
    response.status === 200 &&
    !response.headers.has('cache-control') &&
    !response.headers.has('set-cookie') &&
    event.cookies.getAll().every((cookie) => cookie.name === localeCookieName);
  return shareable ? `public, max-age=0, s-maxage=${sharedSeconds}` : null;
}
