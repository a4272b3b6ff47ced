import { flashCookieName, parseFlash } from '$lib/flash';
import { api } from '$lib/server/api';
import { loadSite } from '$lib/server/site';
import type { LayoutServerLoad } from './$types';

/**
 * Moderation notices the signed-in person has not read, for the count beside the account link: one
 * API call (the newest notices and the count) made alongside the site's. A failure shows no count
 * rather than no page.
 */
async function unreadNotices(event: Parameters<LayoutServerLoad>[0]): Promise<number> {
  if (!event.locals.user) return 0;
  const notices = await api.notices(event);
  return notices.ok ? notices.data.unread : 0;
}

export const load: LayoutServerLoad = async (event) => {
  const flash = parseFlash(event.cookies.get(flashCookieName));
  if (flash) event.cookies.delete(flashCookieName, { path: '/' });
  const [site, unread] = await Promise.all([loadSite(event), unreadNotices(event)]);
  return {
    user: event.locals.user,
    locale: event.locals.locale,
    site,
    flash,
    unreadNotices: unread,
  };
};
