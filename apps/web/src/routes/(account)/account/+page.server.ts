import { api } from '$lib/server/api';
import { parseLocale } from '$lib/i18n/resolve-locale';
import { failWith, formText, redirectIfSignedOut } from '$lib/server/form';
import { dataOrError } from '$lib/server/load';
import { setLocaleCookie } from '$lib/server/web-cookies';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  profile: dataOrError(await api.account(event), event.url),
});

export const actions: Actions = {
  profile: async (event) => {
    const form = await event.request.formData();
    const values = { displayName: formText(form, 'displayName'), locale: formText(form, 'locale') };
    const locale = parseLocale(values.locale);
    const result = await api.updateAccount(event, {
      body: { displayName: values.displayName, locale },
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, { form: 'profile' as const, values });
    }
    // The site follows the language chosen for emails.
    setLocaleCookie(event, result.data.locale);
    event.locals.locale = result.data.locale;
    return { form: 'profile' as const, saved: true };
  },
  resend: async (event) => {
    const result = await api.resendVerification(event);
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, { form: 'resend' as const });
    }
    return { form: 'resend' as const, sent: true };
  },
  password: async (event) => {
    const form = await event.request.formData();
    const result = await api.changePassword(event, {
      body: {
        currentPassword: formText(form, 'currentPassword'),
        newPassword: formText(form, 'newPassword'),
      },
    });
    if (!result.ok) {
      redirectIfSignedOut(result, event.url);
      return failWith(result, { form: 'password' as const });
    }
    return { form: 'password' as const, changed: true };
  },
};
