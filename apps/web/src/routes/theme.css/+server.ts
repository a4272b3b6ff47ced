import { themeCss } from '$lib/theme';
import { loadSite } from '$lib/server/site';
import type { RequestHandler } from './$types';

/** The municipality's colours as CSS custom properties (a file, since the CSP forbids inline styles). */
export const GET: RequestHandler = async (event) => {
  const site = await loadSite(event);
  return new Response(themeCss({ primary: site.primaryColor, accent: site.accentColor }), {
    headers: {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'public, max-age=300',
    },
  });
};
