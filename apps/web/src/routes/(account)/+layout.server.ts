import { redirect } from '@sveltejs/kit';
import { loginPath } from '$lib/server/form';
import type { LayoutServerLoad } from './$types';

/** Pages about one's own account: signed-in people only. */
export const load: LayoutServerLoad = ({ locals, url }) => {
  if (!locals.user) redirect(303, loginPath(url.pathname + url.search));
  return { user: locals.user };
};
