import { redirect } from '@sveltejs/kit';
import { safeRedirectPath } from '$lib/safe-redirect';
import { api } from '$lib/server/api';
import { failWith, formText } from '$lib/server/form';
import { setFlash } from '$lib/server/web-cookies';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const next = safeRedirectPath(url.searchParams.get('next'), '/account');
  if (locals.user) redirect(303, next);
  return { next };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = { email: formText(form, 'email'), displayName: formText(form, 'displayName') };
    const result = await api.register(event, {
      body: {
        ...values,
        password: formText(form, 'password'),
        locale: event.locals.locale,
      },
    });
    if (!result.ok) return failWith(result, { values });
    setFlash(event, 'flash.registered');
    redirect(303, safeRedirectPath(formText(form, 'next'), '/account'));
  },
};
