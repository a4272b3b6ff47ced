import { roleAtLeast } from '@sabor/contracts/values';
import { error, redirect } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import { loginPath } from '$lib/server/form';
import type { LayoutServerLoad } from './$types';

/** Municipal staff pages: admins only. */
export const load: LayoutServerLoad = ({ locals, url }) => {
  if (!locals.user) redirect(303, loginPath(url.pathname + url.search));
  if (!roleAtLeast(locals.user.role, 'admin')) error(403, t(locals.locale, 'error.forbidden'));
  return { user: locals.user };
};
