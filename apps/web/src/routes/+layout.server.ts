import { flashCookieName, parseFlash } from '$lib/flash';
import { loadSite } from '$lib/server/site';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
  const flash = parseFlash(event.cookies.get(flashCookieName));
  if (flash) event.cookies.delete(flashCookieName, { path: '/' });
  return {
    user: event.locals.user,
    locale: event.locals.locale,
    site: await loadSite(event),
    flash,
  };
};
