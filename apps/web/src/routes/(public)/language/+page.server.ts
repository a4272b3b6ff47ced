import { redirect } from '@sveltejs/kit';
import { parseLocale } from '$lib/i18n/resolve-locale';
import { safeRedirectPath } from '$lib/safe-redirect';
import { api } from '$lib/server/api';
import { formText } from '$lib/server/form';
import { setLocaleCookie } from '$lib/server/web-cookies';
import type { Actions } from './$types';

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const locale = parseLocale(formText(form, 'locale'));
    if (locale) {
      setLocaleCookie(event, locale);
      event.locals.locale = locale;
      // Signed-in people also get their emails in the chosen language.
      if (event.locals.user) await api.updateAccount(event, { body: { locale } });
    }
    redirect(303, safeRedirectPath(formText(form, 'redirectTo')));
  },
};
