import { redirect } from '@sveltejs/kit';
import { t } from '$lib/i18n/translate';
import { safeRedirectPath } from '$lib/safe-redirect';
import { api } from '$lib/server/api';
import { failWith, formText } from '$lib/server/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const next = safeRedirectPath(url.searchParams.get('next'), '/account');
  if (locals.user) redirect(303, next);
  return { next };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const email = formText(form, 'email');
    const next = safeRedirectPath(formText(form, 'next'), '/account');
    const result = await api.login(event, {
      body: { email, password: formText(form, 'password') },
    });
    if (!result.ok) {
      if (result.status === 429 && result.retryAfter) {
        const minutes = Math.ceil(result.retryAfter / 60);
        result.error.message = t(event.locals.locale, 'login.tooManyAttempts', { minutes });
      }
      return failWith(result, { values: { email } });
    }
    redirect(303, next);
  },
};
