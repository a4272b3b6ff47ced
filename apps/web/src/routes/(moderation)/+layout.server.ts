import { hideReasonCodeSchema, hideReasonTemplates } from '@sabor/contracts';
import { roleAtLeast } from '@sabor/contracts/values';
import { error, redirect } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import { loginPath } from '$lib/server/form';
import type { LayoutServerLoad } from './$types';

/** The moderation dashboard: moderators and admins (admins may do everything moderators can). */
export const load: LayoutServerLoad = ({ locals, url }) => {
  if (!locals.user) redirect(303, loginPath(url.pathname + url.search));
  if (!roleAtLeast(locals.user.role, 'moderator')) {
    error(403, t(locals.locale, 'moderation.forbidden'));
  }
  return {
    user: locals.user,
    // The public reason templates in the page's language, exactly as readers will see them
    // (computed here so the browser bundle does not need the contracts' values).
    hideReasons: hideReasonCodeSchema.options.map((code) => ({
      value: code,
      label: hideReasonTemplates[code][locals.locale],
    })),
  };
};
